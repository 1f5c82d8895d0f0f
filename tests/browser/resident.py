"""What a resident does on the phone page, as the browser tests do it."""

from playwright.sync_api import Page, expect


def submit(page: Page, title: str, body: str = "") -> str:
    """Writes a proposal through the form; its id once the phone lists it as the resident's."""
    form = page.locator("#proposal-form")
    form.locator("[name=title]").fill(title)
    if body:
        form.locator("[name=body]").fill(body)
    form.locator("button[type=submit]").click()
    mine = page.locator("#proposal-list .proposal.mine", has_text=title)
    expect(mine).to_have_count(1)
    return mine.get_attribute("data-proposal-id")


def vote(page: Page, proposal_id: str):
    item = page.locator(f"#proposal-{proposal_id}")
    item.locator(".vote-button").click()
    expect(item.locator(".voted-note")).to_be_visible()
