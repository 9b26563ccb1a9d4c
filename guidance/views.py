from django.shortcuts import get_object_or_404, render

from .models import Principle


def guidance(request):
    return render(request, "base.html", {"section": "guidance"})


def checklist(request):
    return render(request, "base.html", {"section": "guidance"})


def principle_detail(request, slug):
    get_object_or_404(Principle.objects.published(), slug=slug)
    return render(request, "base.html", {"section": "guidance"})
