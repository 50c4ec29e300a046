"""Streamlit pages of the NET checker; each page is one small script run by st.navigation from app.py."""
