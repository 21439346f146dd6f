"""Differential tests: every case runs under /usr/bin/bash and under pywarmsh."""
