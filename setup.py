"""Build script: the pyshell package, its Cython launcher extension and the warm-process stub.

Everything is built with the C compiler alone (GNU .S assembly, no nasm). The stub
(asm/stub.c + asm/entry.S) is a freestanding static-pie executable installed inside the
package as pyshell/_stub; pyshell.launch starts it with a real execve.
"""
import os
import shlex
import shutil
import subprocess
import sysconfig

from setuptools import setup, Extension
from setuptools.command.build_ext import build_ext
from Cython.Build import cythonize

HERE = os.path.dirname(os.path.abspath(__file__))
STUB_SOURCES = ["asm/stub.c", "asm/entry.S"]
STUB_FLAGS = [
    "-O2", "-nostdlib", "-static-pie", "-fPIE", "-ffreestanding", "-fno-builtin",
    "-fno-tree-loop-distribute-patterns", "-fno-stack-protector",
    "-fno-asynchronous-unwind-tables", "-fvisibility=hidden", "-fcf-protection=none",
    "-Wl,-z,noexecstack", "-Wl,--build-id=none",
]


def c_compiler():
    cc = os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc"
    cmd = shlex.split(cc)
    if not shutil.which(cmd[0]):
        cmd = ["cc"]
    return cmd


class BuildWithStub(build_ext):
    """build_ext that also links the freestanding stub next to the extension."""

    def stub_target(self):
        if self.inplace:
            return os.path.join(HERE, "pyshell", "_stub")
        return os.path.join(self.build_lib, "pyshell", "_stub")

    def run(self):
        super().run()
        target = self.stub_target()
        os.makedirs(os.path.dirname(target), exist_ok=True)
        sources = [os.path.join(HERE, s) for s in STUB_SOURCES]
        cmd = c_compiler() + STUB_FLAGS + ["-o", target] + sources
        self.announce("building warm-process stub: " + " ".join(cmd), level=2)
        subprocess.check_call(cmd)

    def get_outputs(self):
        return super().get_outputs() + [self.stub_target()]


extensions = [
    Extension("pyshell._loader", ["pyshell/_loader.pyx"],
              extra_compile_args=["-O2"]),
]

setup(
    ext_modules=cythonize(extensions, language_level=3, quiet=True),
    cmdclass={"build_ext": BuildWithStub},
)
