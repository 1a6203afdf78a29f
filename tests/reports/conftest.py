import pytest

from report_pdf import pdf_text


@pytest.fixture
def read_pdf(tmp_path):
    return lambda document: pdf_text(document, tmp_path)
