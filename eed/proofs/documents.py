"""From the records to eed/proofs/pdf.py's data: proofs, a ceremony's proofs, its attendance list.

A proof prints what its certificate holds, with the formula version recorded
on it. Asked for in another language, it prints that language's version that
was in force on the ceremony's day and already known when the proof was
issued (a version added later, even back-dated, never changes an old proof).
"""

from django.utils import translation

from core.languages import SUPPORTED_LANGUAGES
from core.links import absolute_reverse
from core.pdf_seal import seal
from eed.ceremonies.selectors import ceremony_certificates, current_appointments, recorded_appointments
from eed.enums import CeremonyState, OathForm
from eed.models import Ceremony, Certificate
from eed.proofs.attendance_pdf import AttendanceListData, AttendanceRow, attendance_list_pdf
from eed.proofs.pdf import ProofData, proofs_pdf
from onboarding.models import Text
from onboarding.organisation import organisation_current, organisation_data


def verification_url(certificate: Certificate) -> str:
    return absolute_reverse("certificate_verify", kwargs={"code": certificate.verification_code})


def certificate_text(certificate: Certificate, language: str) -> Text:
    if language == certificate.language:
        return certificate.text
    other = (
        Text.objects.filter(
            kind=certificate.form,
            language=language,
            valid_from__lte=certificate.oath_date,
            created_at__lte=certificate.issued_at,
        )
        .order_by("-valid_from", "-version")
        .first()
    )
    return other or certificate.text


def proof_data(certificate: Certificate, *, language: str | None = None, logos: dict | None = None) -> ProofData:
    language = language if language in SUPPORTED_LANGUAGES else certificate.language
    text = certificate_text(certificate, language)
    return ProofData(
        organisation=organisation_data(certificate.organisation, logos=logos),
        language=language,
        form=certificate.form,
        formula_title=text.title,
        formula=text.body,
        closing_words=text.closing_words,
        formula_version=text.version,
        full_name=certificate.full_name,
        date=certificate.oath_date,
        place=certificate.place,
        officiant_name=certificate.officiant_name,
        officiant_function=certificate.officiant_function,
        witness_name=certificate.witness_name,
        number=certificate.number,
        verification_url=verification_url(certificate),
        revoked_on=certificate.revoked_at.date() if certificate.revoked_at else None,
    )


def issued_pdf(certificate: Certificate, *, language: str | None = None) -> bytes:
    """The proof as PDF/A, dated by its issue: the same proof is the same bytes every time (its SHA-256 is kept)."""
    return proofs_pdf([proof_data(certificate, language=language)], moment=certificate.issued_at)


def certificate_pdf(certificate: Certificate, *, language: str | None = None) -> bytes:
    """The proof as served: ``issued_pdf`` with the organisation seal appended when one is configured."""
    return seal(issued_pdf(certificate, language=language))


def ceremony_proofs_pdf(ceremony: Ceremony) -> bytes | None:
    """Every valid proof of the ceremony in one file, in the order of the attendance sheet; None without any."""
    logos: dict = {}
    certificates = list(ceremony_certificates(ceremony))
    proofs = [proof_data(certificate, logos=logos) for certificate in certificates]
    moment = max((certificate.issued_at for certificate in certificates), default=None)
    return proofs_pdf(proofs, moment=moment) if proofs else None


def _attendance_rows(ceremony: Ceremony) -> list[AttendanceRow]:
    held = ceremony.state == CeremonyState.HELD
    appointments = recorded_appointments(ceremony) if held else current_appointments(ceremony)
    rows = []
    for appointment in appointments:
        form = appointment.form_used or appointment.form
        witness = appointment.witness_present_label if held else (appointment.witness or "")
        rows.append(
            AttendanceRow(
                name=appointment.newcomer.sort_name,
                personnel_number=appointment.newcomer.personnel_number,
                form=str(OathForm(form).label) if form else "",
                witness=str(witness),
                outcome=appointment.get_outcome_display() if held else "",
            )
        )
    return rows


def ceremony_attendance_pdf(ceremony: Ceremony, *, language: str = "nl") -> bytes:
    """The list to sign in the room: the participants (or, once held, what was recorded)."""
    officiant = getattr(ceremony.officiant, "officiant", None)
    with translation.override(language):
        rows = _attendance_rows(ceremony)
    data = AttendanceListData(
        organisation=organisation_data(organisation_current(today=ceremony.day)),
        language=language,
        starts_at=ceremony.starts_at,
        place=ceremony.location,
        officiant_name=ceremony.officiant.get_full_name() or ceremony.officiant.email,
        officiant_function=officiant.function if officiant else "",
        rows=rows,
    )
    return attendance_list_pdf(data)
