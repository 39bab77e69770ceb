from django.views import defaults


def page_not_found(request, exception):
    return defaults.page_not_found(request, exception, template_name="404.html")


def server_error(request):
    return defaults.server_error(request, template_name="500.html")
