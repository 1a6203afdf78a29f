"""Reading PDFs with poppler-utils (pdftotext, pdfinfo, pdffonts), for the report tests."""
import subprocess


def pdf_text(document, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(document)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def pdf_pages(document, tmp_path):
    path = tmp_path / "pages.pdf"
    path.write_bytes(document)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(next(line.split()[-1] for line in info.stdout.splitlines()
                    if line.startswith("Pages:")))


def pdf_fonts(document, tmp_path):
    path = tmp_path / "fonts.pdf"
    path.write_bytes(document)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    return [line.split()[0] for line in out.stdout.splitlines()[2:]]
