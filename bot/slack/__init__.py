"""The Slack surface: Bolt listeners in front of ``bot.answer.Advisor``.

Nothing outside this package knows Slack's transport; nothing in it knows how answers are made.
"""
