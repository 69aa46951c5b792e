import pytest
import torch

from ganutils import artifacts, experiments
from ganutils.models import Generator


def test_profiles_and_parameters_are_validated():
    assert experiments.check_profile("report") == "report"
    with pytest.raises(ValueError, match=r"profile must be one of \('smoke', 'report'\), got 'full'"):
        experiments.check_profile("full")
    with pytest.raises(ValueError, match="seeds must be a positive integer"):
        experiments.check_seeds(0)
    assert experiments.resolve_publish("auto", "report") and not experiments.resolve_publish("auto", "smoke")
    with pytest.raises(ValueError, match="publish must be 'auto', True or False"):
        experiments.resolve_publish("yes", "smoke")


def test_variants_change_exactly_one_thing():
    for variants in (experiments.dcgan_variants, experiments.cgan_variants):
        for profile in experiments.PROFILES:
            baseline, changed = variants(profile)
            for name, config in changed.items():
                if name in ("projection D + smoothing", "3 D steps at equal G steps"):
                    continue
                diff = {k for k, v in vars(config).items() if getattr(baseline, k) != v}
                assert diff and diff <= {
                    "loss", "width_d", "width_g", "norm_g", "norm_d", "d_steps", "lr_d", "lr_g", "real_label",
                    "conditioning", "precision", "batch_size", "codes", "clusters"}, name
                assert not (diff & {"lr_d", "lr_g"}) or config.lr_d / config.lr_g == baseline.lr_d / baseline.lr_g \
                    or name == "TTUR", name


def test_fp32_check_only_where_the_baseline_trains_in_bf16(monkeypatch):
    """Where "auto" resolves to fp32 an "fp32" variant would be the baseline's seed 0 again, counted twice."""
    for precision, checked in (("bf16", True), ("fp32", False)):
        monkeypatch.setenv("GANUTILS_PRECISION", precision)
        baseline, variants = experiments.dcgan_variants("smoke")
        assert baseline.precision == precision and ("fp32" in variants) == checked
        assert all(config != baseline for config in variants.values())


def test_equal_generator_steps_variant_gives_g_as_many_updates_as_the_baseline():
    for profile in experiments.PROFILES:
        baseline, variants = experiments.dcgan_variants(profile)
        balanced = variants["3 D steps at equal G steps"]
        assert balanced.epochs // balanced.d_steps == baseline.epochs and balanced.d_steps == 3


def test_long_stage_and_budget_check():
    baseline, variants = experiments.dcgan_variants("report")
    stage, check = experiments.long_dcgan_designs("baseline", baseline, "report", seeds=3)
    long = experiments.DCGAN_LONG["report"]
    assert list(stage) == [f"{name} (seed {s})" for name in ("baseline", "baseline, G double width") for s in range(3)]
    assert stage["baseline (seed 2)"] == baseline.replace(seed=2, **long)  # shared with the check: trained once
    assert stage["baseline, G double width (seed 0)"].width_g == 2 * baseline.width_g
    assert check["baseline (seed 1)"] == stage["baseline (seed 1)"]
    for name in experiments.BUDGET_CHECK:
        runs = [config for n, config in check.items() if n.startswith(f"{name} (seed ")]
        assert len(runs) == experiments.BUDGET_CHECK_SEEDS["report"]
        assert all(c == variants[name].replace(seed=c.seed, **long) and c.snapshots for c in runs)
    # a better short variant is trained long; the check still runs against the baseline
    stage, check = experiments.long_dcgan_designs("TTUR", variants["TTUR"], "report", seeds=2)
    assert stage["TTUR (seed 1)"].lr_d == variants["TTUR"].lr_d and check["baseline (seed 1)"].lr_d == baseline.lr_d
    assert len([n for n in check if n.startswith("baseline")]) == 2
    _, check = experiments.long_dcgan_designs("baseline", baseline, "report", 3, also_check=("lr doubled", "TTUR"))
    assert check["lr doubled (seed 1)"].lr_g == 2 * baseline.lr_g and check["lr doubled (seed 1)"].epochs > baseline.epochs
    assert len([n for n in check if n.startswith("TTUR")]) == experiments.BUDGET_CHECK_SEEDS["report"]  # not twice
    # a variant chosen by its seed-0 short run is re-tested on other seeds; a budget multiple is kept
    assert "lr doubled (seed 0)" not in check and "TTUR (seed 0)" in check
    _, check = experiments.long_dcgan_designs("baseline", baseline, "report", 3, also_check=("3 D steps at equal G steps",))
    assert check["3 D steps at equal G steps (seed 1)"].epochs == 3 * long["epochs"]


def test_tuned_design_combines_the_adopted_changes():
    baseline, variants = experiments.dcgan_variants("report")
    wide = baseline.replace(width_g=2 * baseline.width_g, **experiments.DCGAN_LONG["report"])
    long_lr = variants["lr doubled"].replace(seed=1, **experiments.DCGAN_LONG["report"])  # seed and budget: not changes
    tuned = experiments.tuned_dcgan_design(wide, [long_lr], baseline, "report")
    assert tuned == baseline.replace(width_g=2 * baseline.width_g, lr_g=2 * baseline.lr_g, lr_d=2 * baseline.lr_d,
                                     **experiments.DCGAN_TUNED["report"])
    assert tuned.ema > 0 and tuned.epochs > wide.epochs and tuned.seed == wide.seed
    assert experiments.tuned_dcgan_design(wide, [], baseline, "report") == wide.replace(**experiments.DCGAN_TUNED["report"])
    with pytest.raises(ValueError, match="lr_g"):  # lr doubled and lr halved cannot both be adopted
        experiments.tuned_dcgan_design(wide, [variants["lr doubled"], variants["lr halved"]], baseline, "report")
    with pytest.raises(ValueError, match="lr_g to 0.0004, the design it joins to 0.0001"):  # nor undo its own change
        experiments.tuned_dcgan_design(variants["TTUR"], [variants["lr doubled"]], baseline, "report")


def test_changes_that_cannot_join_the_tuned_design_are_left_out_best_first():
    baseline, variants = experiments.dcgan_variants("report")
    start = variants["self-conditioning"].replace(**experiments.DCGAN_LONG["report"])
    ranked = {name: variants[name] for name in ("lr doubled", "InfoGAN code", "lr halved", "label smoothing",
                                                 "self-conditioning")}
    taken, left_out = experiments.adoptable(start, ranked, baseline, "report")
    # an InfoGAN code is another way of choosing between digits; lr halved undoes lr doubled, taken first
    assert taken == ["lr doubled", "label smoothing", "self-conditioning"] and left_out == ["InfoGAN code", "lr halved"]
    tuned = experiments.tuned_dcgan_design(start, [variants[n] for n in taken], baseline, "report")
    assert tuned.clusters == start.clusters and tuned.lr_g == 2 * baseline.lr_g and tuned.real_label < 1
    taken, left_out = experiments.adoptable(start, dict(reversed(ranked.items())), baseline, "report")
    assert "lr halved" in taken and "lr doubled" in left_out  # the order decides
    equal_g = {"3 D steps at equal G steps": variants["3 D steps at equal G steps"]}  # a budget, not a design
    assert experiments.adoptable(start, equal_g, baseline, "report") == ([], ["3 D steps at equal G steps"])


def test_glue_key_of_a_design_name():
    from ganutils.report import key
    assert key("3 D steps at equal G steps") == "3_d_steps_at_equal_g_steps"
    assert key("D half width") == "d_half_width" and key("virtual BN") == "virtual_bn"


def test_shared_noise_across_labels(tmp_path):
    torch.manual_seed(0)
    model = Generator(width=8, n_classes=10, norm="virtual", n_ref=4)
    path = tmp_path / "cgan.pt"
    artifacts.save_package(artifacts.package("generator", model, dict(width=8, n_classes=10, norm="virtual", n_ref=4)), path)
    gen = artifacts.load_generator(path)
    z = torch.randn(1, 100).repeat(2, 1)
    same_z = gen.generate(labels=[3, 3], noise=z)
    assert torch.allclose(same_z[0], same_z[1], atol=1e-6)
    with pytest.raises(ValueError, match=r"noise must have shape \(2, 100\)"):
        gen.generate(labels=[3, 4], noise=torch.randn(3, 100))


def test_glue_stores_plain_python_values(monkeypatch):
    import numpy as np

    from ganutils import report

    stored = {}
    monkeypatch.setattr(report, "_glue", lambda key, value, display: stored.update({key: value}))
    report.glue("a", np.float64(1.5))
    report.glue("b", torch.tensor(3))
    assert stored == {"a": 1.5, "b": 3} and type(stored["a"]) is float
    with pytest.raises(TypeError, match="glue 'c'"):
        report.glue("c", [1, 2])


def test_check_parameters_names_what_papermill_would_only_warn_about():
    import math

    namespace = {"math": math, "glue": print, "GanConfig": object, "profile": "smoke", "seeds": 3,
                 "In": [], "_i1": "x", "__name__": "__main__"}
    experiments.check_parameters(namespace)
    with pytest.raises(ValueError, match=r"unknown parameter\(s\) \['epochs', 'lr'\]"):
        experiments.check_parameters(namespace | {"epochs": 5, "lr": 0.1})


def test_start_chapter_checks_every_parameter_and_says_where_figures_go():
    namespace = {"profile": "report", "seeds": 3, "progress": False, "publish": "auto", "scheduler": None}
    assert experiments.start_chapter(namespace) == (True, "../book/figures")
    assert experiments.start_chapter(namespace | {"profile": "smoke"}) == (False, None)
    for bad, match in (({"profile": "full"}, "profile"), ({"seeds": 0}, "seeds"), ({"publish": "yes"}, "publish"),
                       ({"epochs": 5}, "epochs"), ({"scheduler": "threads"}, "scheduler")):
        with pytest.raises(ValueError, match=match):
            experiments.start_chapter(namespace | bad)


def test_rerun_box_names_every_parameter_the_training_and_the_measured_times(tmp_path):
    from types import SimpleNamespace

    from ganutils import report

    (tmp_path / "time_report.md").write_text("report profile, cold run cache: commit abc, 2 CPU threads\n"
                                             "chapter q1_dcgan: 1033.4 s (finished 2026-11-23T10:00:00Z)\n"
                                             "chapter q2_cgan: 3898 s\n")
    machine = {"device": "AMD EPYC", "cpu kernels": "AVX512", "threads": 2, "torch": "2.14.1", "precision": "bf16"}
    gan = SimpleNamespace(seconds=120.0, generator_package={"machine": machine})
    classifier = SimpleNamespace(seconds=60.0, package={})
    box = report.rerun_box("q1_dcgan", 3, [classifier, gan, gan], bench=tmp_path)  # one run named twice
    assert box.startswith(":::{admonition} Re-run this chapter") and box.endswith(":::")
    assert "papermill notebooks/q1_dcgan.ipynb out.ipynb -p profile report -p seeds 3" in box
    assert all(f"- `{name}`:" in box for name in experiments.PARAMETERS)  # every papermill parameter explained
    assert "1 GAN run(s) and 1 classifier run(s), 3.0 min of training" in box
    assert "from an empty run cache: 1033 s (`bench/time_report.md`: report profile, cold run cache: commit abc" in box
    assert "with everything cached: not measured yet (`make time-warm`)" in box
    assert ("trained on: a machine it did not record; device AMD EPYC, cpu kernels AVX512, threads 2, "
            "torch 2.14.1, precision bf16.") in box  # where the chapter's numbers came from
    assert report.chapter_times(tmp_path / "missing.md") == ("", {})


def test_read_glue_returns_numbers_strings_and_markdown(tmp_path):
    """Every value a chapter glues reads back as it was glued: bench/portability.py compares them."""
    import nbformat

    from ganutils import report

    prefix = "application/papermill.record/"

    def record(name, mime, text):
        return nbformat.v4.new_output("display_data", data={prefix + mime: text},
                                      metadata={"scrapbook": {"name": name, "mime_prefix": prefix}})

    cell = nbformat.v4.new_code_cell(outputs=[record("fid", "text/plain", "23.5"), record("name", "text/plain", "'TTUR'"),
                                              record("box", "text/markdown", ":::{admonition} Re-run\n:::")])
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), tmp_path / "chapter.ipynb")
    assert report.read_glue(tmp_path / "chapter.ipynb") == {"fid": 23.5, "name": "TTUR", "box": ":::{admonition} Re-run\n:::"}
