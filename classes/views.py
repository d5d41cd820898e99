from django.views.generic import TemplateView


class CourseListView(TemplateView):
    template_name = "classes/course_list.html"
