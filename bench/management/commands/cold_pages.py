"""Where a cold page's time goes: each page asked for right after a change, in this process
(the page cache and counts of the settings in force), with its time, its queries and the
slowest of them. The change is the whole site's (`/bench/changed/`, as scripts/bench measures
"cold") or, with --save, a curator's: a published practice's new summary saved as `curate`
saves it (its time and queries are printed too), after which each page says whether it was
still cached ("hit") or computed afresh ("miss"); with --saves N, N such saves, each followed
by every page, and how often and how long each page missed."""

import random
import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client

from core.cache import content_changed
from practices.models import Practice

PAGES = [
    "/",
    "/practices/",
    "/practices/?page=4506",
    "/practices/?tag=synthetic-dialogue-protection&page=275",
    "/practices/?q=savings+groups",
    "/themes/leadership-and-collective-action/?page=4506",
    "/movements/?page=450",
    "/regions/eastern-africa/",
    "/practices/?region=eastern-africa&approach=cross-agency-consortia-for-advancing-rights&view=map",
    "/practices/building-unpaid-representation-audits-forest-justice-work-8/",
    "/api/v1/practices/",
    "/search/?q=women+leadership",
]


class Timed:
    """Records each query's SQL and time while installed as an execute wrapper."""

    def __init__(self):
        self.queries = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append(((time.perf_counter() - started) * 1000, sql))


class Command(BaseCommand):
    help = "Time pages right after a change of the whole site (or, with --save, one save)."

    def add_arguments(self, parser):
        parser.add_argument("urls", nargs="*", help="pages to ask for (default: the bench's)")
        parser.add_argument("--save", action="store_true", help="after one save")
        parser.add_argument("--slowest", type=int, default=3, help="slowest queries shown a page")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--saves", type=int, default=0, help="that many saves, then how often each page missed"
        )

    def handle(self, *args, urls, save, slowest, seed, saves, **options):
        client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_ENCODING="gzip")
        urls = urls or PAGES
        for url in urls:  # Warm: what the page reads once in a process (templates, URLconf).
            client.get(url)
        if saves:
            self.curated(client, urls, saves, seed)
            return
        if save:
            keys = list(Practice.objects.published().values_list("pk", flat=True)[:5000])
            practice = Practice.objects.get(pk=random.Random(seed).choice(keys))
            practice.summary = f"{practice.summary.split(' [edited')[0]} [edited]"
            self.timed("save", lambda: practice.save(), slowest)
        for url in urls:
            if not save:
                content_changed()
            self.timed(url, lambda url=url: client.get(url), slowest)

    def curated(self, client, urls, saves, seed):
        """`saves` curator's saves, each followed by a request of every page: per page, how
        many requests missed the cache and their median time."""
        draw = random.Random(seed)
        keys = list(Practice.objects.published().values_list("pk", flat=True))
        missed, took = {url: [] for url in urls}, []
        for n in range(saves):
            practice = Practice.objects.get(pk=draw.choice(keys))
            practice.summary = f"{practice.summary.split(' [edited')[0]} [edited {n}]"
            started = time.perf_counter()
            practice.save()
            took.append((time.perf_counter() - started) * 1000)
            for url in urls:
                started = time.perf_counter()
                response = client.get(url)
                if response.get("X-Page-Cache") != "hit":
                    missed[url].append((time.perf_counter() - started) * 1000)
        self.stdout.write(f"{saves} saves, {statistics.median(took):.0f} ms each (median)")
        for url, times in missed.items():
            median = f"{statistics.median(times):6.0f} ms" if times else "      -   "
            self.stdout.write(f"{len(times):3}/{saves} missed, median {median}  {url}")

    def timed(self, name, call, slowest):
        recorder = Timed()
        started = time.perf_counter()
        with connection.execute_wrapper(recorder):
            response = call()
        took = (time.perf_counter() - started) * 1000
        state = response.get("X-Page-Cache", "-") if response is not None else ""
        status = response.status_code if response is not None else ""
        in_sql = sum(ms for ms, _sql in recorder.queries)
        self.stdout.write(
            f"{took:7.0f} ms {status} {state:4} {len(recorder.queries):3} queries "
            f"({in_sql:.0f} ms in SQL)  {name}"
        )
        for ms, sql in sorted(recorder.queries, reverse=True)[:slowest]:
            self.stdout.write(f"        {ms:6.0f} ms  {sql[:220]}")
