"""UI translations: gettext .po catalogs under locales/, read with Babel."""
