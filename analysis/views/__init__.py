"""Views: tables, figures and text made from the queries for the book's pages."""
