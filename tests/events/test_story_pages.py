"""The shipped story renders: every event reachable from the home page and the list."""

from django.urls import reverse

from events.models import Event


def test_every_story_event_is_on_the_home_page_and_opens(client, story):
    home = client.get(reverse("home")).text
    list_page = client.get(reverse("events:event_list") + "?sort=desc").text
    events = list(Event.objects.all())
    assert events
    for event in events:
        url = event.get_absolute_url()
        assert f'href="{url}"' in home
        response = client.get(url)
        assert response.status_code == 200
        assert "heure du Pacifique" in response.text
    assert f"{len(events)} événement" in list_page
