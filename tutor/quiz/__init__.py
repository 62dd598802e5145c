"""Recall quizzes: which cards to ask (queue), how they are shown (present),
how answers are checked (check), and a session that records reviews (session).

Only `session` imports the scheduler (fsrs); the rest stays light so the
home screen can count due cards without it.
"""
