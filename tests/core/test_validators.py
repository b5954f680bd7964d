import pytest
from django.core.exceptions import ValidationError

from core.validators import (
    departement_code_for_postcode,
    validate_email_domain,
    validate_postcode,
    validate_rna,
    validate_siren,
    validate_siren_or_siret,
)


@pytest.mark.parametrize("value", ["W751234567", "w751234567", "W 751 234 567"])
def test_valid_rna_numbers_pass(value):
    validate_rna(value)


@pytest.mark.parametrize(
    "value", ["751234567", "W75123456", "W7512345678", "X751234567", "WABCDEFGHI"]
)
def test_bad_rna_explains_the_expected_format_in_french(value):
    with pytest.raises(ValidationError) as error:
        validate_rna(value)
    assert "W suivi de 9 chiffres" in error.value.messages[0]
    assert error.value.code == "invalid_rna"


def test_valid_siren_and_siret_pass():
    validate_siren("732829320")
    validate_siren_or_siret("732 829 320")
    validate_siren_or_siret("73282932000074")


def test_siren_with_wrong_check_digit_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_siren_or_siret("732829321")
    assert "clé de contrôle" in error.value.messages[0]


def test_siret_with_wrong_check_digit_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_siren_or_siret("73282932000075")
    assert error.value.code == "invalid_siret"
    assert "SIRET" in error.value.messages[0]


@pytest.mark.parametrize("value", ["1234", "1234567890", "ABCDEFGHI"])
def test_identifier_of_the_wrong_length_is_neither_siren_nor_siret(value):
    with pytest.raises(ValidationError) as error:
        validate_siren_or_siret(value)
    assert "ni un SIREN" in error.value.messages[0] or "SIREN" in error.value.messages[0]


@pytest.mark.parametrize(
    "postcode, departement",
    [
        ("69003", "69"),
        ("01000", "01"),
        ("20000", "2A"),
        ("20200", "2B"),
        ("97400", "974"),
        ("97600", "976"),
        ("75011", "75"),
    ],
)
def test_postcode_gives_its_departement(postcode, departement):
    assert departement_code_for_postcode(postcode) == departement
    validate_postcode(postcode)


@pytest.mark.parametrize(
    "value", ["6900", "690033", "ABCDE", "00100", "96000", "97500", "99000", ""]
)
def test_bad_postcode_is_refused_with_a_french_message(value):
    with pytest.raises(ValidationError) as error:
        validate_postcode(value)
    assert "code postal" in error.value.messages[0]


def test_email_domain_validation():
    validate_email_domain("entreprise.fr")
    validate_email_domain("groupe.example.com")
    for bad in ("entreprise", "@entreprise.fr", "entre prise.fr", "-x.fr"):
        with pytest.raises(ValidationError):
            validate_email_domain(bad)
