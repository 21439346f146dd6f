/* Entry points of the freestanding warm-process stub (x86-64, GNU as via the C compiler).
 *
 * _start          kernel entry: hands the initial stack pointer to stub_main.
 * stub_trap       the AT_ENTRY given to ld.so: reached after relocation and constructors,
 *                 it records rsp (the initial stack) and rdx (ld.so's rtld_fini) and turns
 *                 the process into a fork server.
 * jump_to_entry   jump_to_entry(entry, sp, rtld_fini): start a program the way the kernel
 *                 would, with rsp = sp and rdx = rtld_fini.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
        .text
        .globl  _start
        .hidden _start
        .type   _start, @function
_start:
        xorl    %ebp, %ebp
        movq    %rsp, %rdi
        andq    $-16, %rsp
        call    stub_main
        hlt
        .size   _start, .-_start

        .globl  stub_trap
        .hidden stub_trap
        .type   stub_trap, @function
stub_trap:
        movq    %rsp, trap_sp(%rip)
        movq    %rdx, trap_fini(%rip)
        xorl    %ebp, %ebp
        andq    $-16, %rsp
        call    server_main
        hlt
        .size   stub_trap, .-stub_trap

        .globl  jump_to_entry
        .hidden jump_to_entry
        .type   jump_to_entry, @function
jump_to_entry:
        movq    %rsi, %rsp
        movq    %rdi, %rax
        /* rdx already holds rtld_fini (third argument). */
        xorl    %ebx, %ebx
        xorl    %ecx, %ecx
        xorl    %esi, %esi
        xorl    %edi, %edi
        xorl    %ebp, %ebp
        xorl    %r8d, %r8d
        xorl    %r9d, %r9d
        xorl    %r10d, %r10d
        xorl    %r11d, %r11d
        xorl    %r12d, %r12d
        xorl    %r13d, %r13d
        xorl    %r14d, %r14d
        xorl    %r15d, %r15d
        jmp     *%rax
        .size   jump_to_entry, .-jump_to_entry

        .section .note.GNU-stack,"",@progbits
