"""The admin's login page has a real heading."""

import re


def test_admin_login_page_has_an_h1(client, db):
    page = client.get("/admin/login/").content.decode()
    headings = re.findall(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    assert len(headings) == 1 and headings[0].strip()
    assert 'name="username"' in page
