from __future__ import annotations

from django import forms

from chat.services import MESSAGE_CHARS


class MessageForm(forms.Form):
    # The limit is checked by the service (with a message saying how long it was); the browser's
    # own limit stops a paste a little beyond it.
    text = forms.CharField(
        label="Your question",
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MESSAGE_CHARS}),
        strip=False,
        required=False,
    )
