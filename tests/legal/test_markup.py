import pytest

from legal.markup import render

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src="http://example.org/x.png" onerror="alert(1)">',
    "Aide <b>numérique",
    '"><svg onload=alert(1)>',
    "{{ request.user }} {% csrf_token %}",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_markup_typed_in_a_document_is_shown_as_typed(text):
    html = render(text)

    assert "<script" not in html and "<img" not in html and "<svg" not in html
    assert "<b>" not in html
    assert html.startswith("<p>") and html.endswith("</p>")
    assert "&lt;" in html or "{{" in html


def test_headings_paragraphs_lists_bold_and_links_are_rendered():
    text = (
        "# Vos droits\n\nUn paragraphe\nsur deux lignes.\n\n- accès\n- **effacement**\n\n"
        "## Réclamation\n[la CNIL](https://www.cnil.fr/fr/plaintes) ou "
        "[nous](mailto:dpo@example.org)"
    )

    html = render(text)

    assert "<h2>Vos droits</h2>" in html
    assert "<p>Un paragraphe<br>sur deux lignes.</p>" in html
    assert "<ul><li>accès</li><li><strong>effacement</strong></li></ul>" in html
    assert "<h3>Réclamation</h3>" in html
    assert '<a href="https://www.cnil.fr/fr/plaintes">la CNIL</a>' in html
    assert '<a href="mailto:dpo@example.org">nous</a>' in html


@pytest.mark.parametrize(
    "link",
    [
        "[clic](javascript:alert(1))",
        "[clic](data:text/html,<script>alert(1)</script>)",
        "[clic](//evil.example.org/)",
        '[clic](https://example.org/" onmouseover="alert(1))',
    ],
)
def test_a_link_leads_only_to_the_web_mail_or_this_site(link):
    html = render(link)

    assert 'href="javascript' not in html
    assert 'href="data' not in html
    assert 'href="//' not in html
    assert '" onmouseover' not in html


def test_the_heading_level_follows_the_page():
    assert render("# Titre", heading_level=3) == "<h3>Titre</h3>"
