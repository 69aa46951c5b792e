"""Figures marked `:figclass: wide` span both columns of the IEEE paper (LaTeX `figure*`).

Sphinx's LaTeX writer only emits single-column `figure` floats; a wide figure shrunk into
one column prints its text at half size or less. The HTML book is unaffected."""

from docutils import nodes
from sphinx.writers.latex import LaTeXTranslator


def visit_figure(self: LaTeXTranslator, node: nodes.figure) -> None:
    LaTeXTranslator.visit_figure(self, node)
    if "wide" in node.get("classes", []):
        for i in range(len(self.body) - 1, -1, -1):
            if self.body[i].lstrip().startswith(r"\begin{figure}"):
                self.body[i] = self.body[i].replace(r"\begin{figure}", r"\begin{figure*}", 1)
                break
        self.context[-1] = self.context[-1].replace(r"\end{figure}", r"\end{figure*}")


def setup(app):
    app.add_node(nodes.figure, override=True, latex=(visit_figure, LaTeXTranslator.depart_figure))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
