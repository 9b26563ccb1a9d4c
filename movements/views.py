from django.shortcuts import get_object_or_404, render

from .models import Movement


def movement_list(request):
    return render(request, "base.html", {"section": "movements"})


def movement_detail(request, slug):
    get_object_or_404(Movement.objects.published(), slug=slug)
    return render(request, "base.html", {"section": "movements"})
