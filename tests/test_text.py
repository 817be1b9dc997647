"""The one sanitiser: plain text with paragraphs and links; nothing else gets through."""
from participation.text import clean_plain, render_user_text


def test_paragraphs_line_breaks_and_links():
    html = str(render_user_text("Pirmā rinda\notrā rinda\n\nJauns punkts: https://example.lv/a?b=1"))
    assert html.startswith("<p>Pirmā rinda<br>otrā rinda</p><p>")
    assert '<a href="https://example.lv/a?b=1" rel="nofollow ugc noopener">' in html


def test_markup_and_scripts_are_escaped():
    html = str(render_user_text('<script>alert(1)</script><a href="javascript:x">x</a><img src=x onerror=y>'))
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;" in html


def test_empty_text_renders_nothing():
    assert str(render_user_text(None)) == "" and str(render_user_text("")) == ""


def test_clean_plain_strips_control_characters_and_limits_length():
    assert clean_plain("  a\r\nb\x00c\x07  ") == "a\nbc"
    assert clean_plain("x" * 50, max_length=10) == "x" * 10


def test_non_breaking_spaces_become_spaces_not_nothing():
    assert clean_plain("1.\u00a0punkts un\u2009vēl") == "1. punkts un vēl"
