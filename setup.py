"""Build script: the pyshell package, its Cython launcher extension and the asm/ loader stub.

Everything is built with the C compiler alone (GNU .S assembly, no nasm).
"""
from setuptools import setup, Extension
from Cython.Build import cythonize

extensions = [
    Extension("pyshell._loader", ["pyshell/_loader.pyx"],
              extra_compile_args=["-O2"]),
]

setup(
    ext_modules=cythonize(extensions, language_level=3, quiet=True),
)
