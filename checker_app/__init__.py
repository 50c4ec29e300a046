"""The Streamlit app's entry script (main.py) and its launcher (`net-checker-app`), installed with the package."""
