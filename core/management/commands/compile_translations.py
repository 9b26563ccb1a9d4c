"""Compile the interface translations (locale/*/LC_MESSAGES/*.po) to .mo files with Babel.

Django's own compilemessages needs GNU gettext's msgfmt; Babel is a Python dependency, so set-up
works on any machine that can install the project.
"""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile every .po file under LOCALE_PATHS to the .mo file Django reads."

    def handle(self, *args, **options):
        compiled = 0
        for locale_dir in map(Path, settings.LOCALE_PATHS):
            for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
                locale = po_path.parent.parent.name
                with po_path.open("rb") as po_file:
                    catalog = read_po(po_file, locale=locale)
                with po_path.with_suffix(".mo").open("wb") as mo_file:
                    # Fuzzy entries stay out, as with msgfmt: a guess is no translation.
                    write_mo(mo_file, catalog, use_fuzzy=False)
                compiled += 1
                if options["verbosity"] > 1:
                    self.stdout.write(f"{po_path} ({len(catalog)} messages)")
        self.stdout.write(self.style.SUCCESS(f"Compiled {compiled} translation catalogue(s)."))
