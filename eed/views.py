from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def ceremony_list(request):
    return render(request, "eed/ceremony_list.html", {})
