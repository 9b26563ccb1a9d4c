"""A curator at work, for the benchmark's "under curation" phase: every --interval seconds, for
--seconds, a published practice (a different one each time) gets a new summary and is saved
through the model's save, with the signals every save sends (search document, cache topics).
Prints how many saves it made and their mean time."""

import random
import time

from django.core.management.base import BaseCommand

from practices.models import Practice


class Command(BaseCommand):
    help = "Save a published practice every --interval seconds for --seconds seconds."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=float, default=60)
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, seconds, interval, seed, **options):
        keys = list(Practice.objects.published().values_list("pk", flat=True))
        draw = random.Random(seed)
        ends = time.monotonic() + seconds
        took = []
        while time.monotonic() < ends:
            started = time.monotonic()
            practice = Practice.objects.get(pk=draw.choice(keys))
            practice.summary = f"{practice.summary.split(' [edited')[0]} [edited {len(took) + 1}]"
            practice.save()
            took.append(time.monotonic() - started)
            time.sleep(max(0.0, interval - took[-1]))
        mean = sum(took) / len(took) * 1000 if took else 0
        self.stdout.write(f"{len(took)} saves, {mean:.0f} ms each on average")
