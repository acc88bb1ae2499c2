"""Executes every notebook headless (nbclient) and fails on any error or on a notebook that
draws no figure. The committed notebooks stay without outputs; the executed copies and the
figures as PNG go to .build/notebooks/."""
import pathlib
import sys

import nbformat
from nbclient import NotebookClient

HERE = pathlib.Path(__file__).resolve().parent
OUT = HERE.parent / ".build" / "notebooks"


def main(names):
    OUT.mkdir(parents=True, exist_ok=True)
    notebooks = [HERE / name for name in names] if names else sorted(HERE.glob("*.ipynb"))
    failed = []
    for path in notebooks:
        book = nbformat.read(path, as_version=4)
        if any(cell.get("outputs") for cell in book.cells if cell.cell_type == "code"):
            failed.append(f"{path.name}: committed with outputs (the rule is: no outputs in git)")
            continue
        client = NotebookClient(book, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(HERE)}})
        try:
            client.execute()
        except Exception as error:  # nbclient raises CellExecutionError with the cell's traceback
            failed.append(f"{path.name}: {error}")
            continue
        figures = sum(1 for cell in book.cells if cell.cell_type == "code"
                      for output in cell.get("outputs", []) if "image/png" in output.get("data", {}))
        nbformat.write(book, OUT / path.name)
        if figures == 0:
            failed.append(f"{path.name}: drew no figure")
        print(f"{path.name}: ok, {figures} figure(s) → {OUT / path.name}")
    for line in failed:
        print("FAILED", line, file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
