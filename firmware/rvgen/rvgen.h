/* rvgen.h: memory layout and environment offsets shared by firmware/rvgen/env.S and regress/rvgen.py
 * (the generator reads the #defines below; keep them one plain number each). */
#ifndef RVGEN_H
#define RVGEN_H

/* rvgen_env (tp): M and S trap frames, the final registers, the two logs */
#define ENV_MFRAME        0
#define ENV_SFRAME        128
#define ENV_SIG           256
#define ENV_TRAPCOUNT     384
#define ENV_MISCOUNT      388
#define ENV_TRAPLOG       1024
#define ENV_TRAPLOG_MAX   128
#define ENV_MISLOG        3072
#define ENV_MISLOG_MAX    64
#define ENV_SIZE          4096

/* the word after an ecall that asks to continue in M-mode (never executed; C is off) */
#define RVGEN_TO_M        0xc0dec0de

/* physical layout (firmware/rvgen/link.ld places the sections) */
#define RVGEN_ENV_PA      0x80000000
#define RVGEN_ENV_SIZE    0x10000
#define RVGEN_CODE_PA     0x80010000
#define RVGEN_BLOCK_SIZE  0x4000
#define RVGEN_MAX_BLOCKS  16
#define RVGEN_DATA_PA     0x80100000
#define RVGEN_DATA_PAGES  4
#define RVGEN_WINDOW      256
#define RVGEN_PT_PA       0x80200000   /* address space n: root at +0x2000n, L0 table at +0x2000n+0x1000 */

/* virtual aliases (Sv32) of the data pages */
#define RVGEN_ALIAS_VA    0x80140000
#define RVGEN_HOLE_VA     0x80180000
#define RVGEN_SUPER_VA    0x40000000
#define RVGEN_BADSUPER_VA 0x40400000
#define RVGEN_NOMEM_VA    0x80181000   /* leaf onto RVGEN_NOMEM_PA: an access fault */
#define RVGEN_BADWALK_VA  0x40800000   /* its L0 table is at RVGEN_NOMEM_PA: the walk faults */
#define RVGEN_NOMEM_PA    0x1000f000   /* nothing answers there (QEMU's virt too) */

/* devices (platform.h's values, without C suffixes) */
#define RVGEN_FINISHER    0x00100000
#define RVGEN_PASS        0x5555
#define RVGEN_UART        0x10000000
#define RVGEN_UART_LSR    5
#define RVGEN_LSR_THRE    0x20
#define RVGEN_MTIMECMP    0x02004000
#define RVGEN_MSIP        0x02000000

/* mstatus bits in the signature (all that umbra implements) */
#define RVGEN_MSTATUS_SIGNED 0x007e19aa

#endif
