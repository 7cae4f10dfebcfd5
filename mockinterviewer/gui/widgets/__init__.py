"""Small widgets and models shared by the pages."""
