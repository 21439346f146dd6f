"""pywarmsh: a bash 5.2 compatible shell that launches programs from warm processes."""
__version__ = "0.1.0"
BASH_COMPAT_VERSION = "5.2.15(1)-release"
