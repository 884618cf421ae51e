"""The integrity declaration for externals: the text, the signing link, signing, withdrawal, reminders, the PDF."""
