"""The learned event model (``marsad train events``): trigger and role CRFs, word classes."""
