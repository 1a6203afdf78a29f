"""QR codes (segno, inline SVG) and the printable QR poster PDF (WeasyPrint). No Flask, no database."""
import segno


def qr_svg(url):
    """An inline SVG QR code that scales with its box (viewBox, no fixed size)."""
    return segno.make(url, error="m").svg_inline(scale=1, border=2, omitsize=True,
                                                 svgclass="qr", lineclass="qr-line")


def pdf(html):
    """Render the posters' HTML (one A4 page per store) to PDF bytes."""
    from weasyprint import HTML   # heavy: imported only when a poster is printed
    return HTML(string=html, base_url=".").write_pdf()
