from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmark's tools: the synthetic corpus, a floor page and a query counter. Only
    bench.settings installs it; production never does."""

    name = "bench"
    verbose_name = "Benchmark"
