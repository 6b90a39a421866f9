import re

TEMPLATE_BASE = (
    "//PREPEND BEGIN\n{}\n//PREPEND END\n\n"
    "//TEMPLATE BEGIN\n{}\n//TEMPLATE END\n\n"
    "//APPEND BEGIN\n{}\n//APPEND END"
)


def parse_problem_template(template_str):
    """Split a code template into the part students edit and the parts the judge
    wraps around it."""

    def section(name):
        found = re.findall(f"//{name} BEGIN\n([\\s\\S]+?)//{name} END", template_str)
        return found[0] if found else ""

    return {
        "prepend": section("PREPEND"),
        "template": section("TEMPLATE"),
        "append": section("APPEND"),
    }


def build_problem_template(prepend, template, code):
    return TEMPLATE_BASE.format(prepend, template, code)
