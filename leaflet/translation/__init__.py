"""Translation: the gettext catalogs, reading them, and checking what translators wrote."""
