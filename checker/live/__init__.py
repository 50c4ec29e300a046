"""Live class mode: sessions an educator runs from the Presentation page and students join on their phones.

Pure logic on a SQLAlchemy store; this package never imports streamlit.
"""

from checker.live.classroom import Answer, Classroom, LiveError, SessionState, Student
from checker.live.store import database_url, make_engine

__all__ = ["Answer", "Classroom", "LiveError", "SessionState", "Student", "database_url", "make_engine"]
