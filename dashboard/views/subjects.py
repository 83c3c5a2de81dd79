from django.shortcuts import render

from influence.core.permissions import current_membership, get_subject_for_user


def home(request):
    membership = current_membership(request)
    subjects = membership.workspace.subjects.all() if membership else []
    return render(request, "dashboard/home.html", {"membership": membership, "subjects": subjects})


def subject_detail(request, pk):
    subject = get_subject_for_user(request, pk)
    return render(request, "dashboard/subject_detail.html", {"subject": subject})


def compare(request):
    return render(request, "dashboard/compare.html", {})
