"""The SECON knowledge base web application (Flask): search, browse, practice pages and the JSON API."""
