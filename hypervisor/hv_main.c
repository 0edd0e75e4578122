/* hv_main.c: boot of the hypervisor: options from bootargs, GWB probe, guest RAM, guest FDT, first entry into the guest. */
#include "hv.h"

#include "csr_bits.h"
#include "hv_csr.h"
#include "fdt_lite.h"
#include "platform.h"

/*
 * Rules:
 *  1. The guest runs in S/U only, with mstatus.TW=1 in every mode (WFI is an exit: the
 *     idle safepoint) and, in every mode but native, TVM=1 with its page faults coming
 *     here. Access faults and illegal instructions come here in every mode (the legacy
 *     disk, WFI); ecalls from U go straight to the guest.
 *  2. Guest RAM is gpa [HV_GUEST_GPA, +HV_GUEST_SIZE); the guest kernel and its FDT are
 *     placed at the same gpas in every mode, only the hpa offset differs (0 native).
 *  3. Bad bootargs stop the run before the guest starts: one "hv: error:" line, exit 2.
 */

struct hv hv;
static volatile uint32_t probing, probe_faulted;
extern const uint8_t hv_guest_image[], hv_guest_image_end[];

void hv_console_puts(const char *s)
{
	while (*s) {
		while (!(mmio_read8(UART_BASE + UART_LSR) & UART_LSR_THRE))
			;
		mmio_write8(UART_BASE + UART_THR, (uint8_t)*s++);
	}
}

void hv_console_hex(uint32_t v)
{
	char b[11] = "0x";

	for (int i = 0; i < 8; i++)
		b[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 0xfu];
	b[10] = 0;
	hv_console_puts(b);
}

void hv_console_dec(uint64_t v)
{
	char b[21];
	int n = 20;

	b[n] = 0;
	do {
		b[--n] = (char)('0' + (uint32_t)(v % 10u));
		v /= 10u;
	} while (v);
	hv_console_puts(&b[n]);
}

void hv_finish(uint32_t finisher_value)
{
	if (!hv.ended) {
		hv.ended = 1;
		hv_summary();
	}
	mmio_write32(FINISHER_BASE, finisher_value);
	for (;;)
		;
}

void hv_fail(const char *msg, uint32_t code)
{
	hv_console_puts("hv: error: ");
	hv_console_puts(msg);
	hv_console_puts("\n");
	hv.ended = 1; /* no summary after an error line */
	hv_finish((code << 16) | FINISHER_FAIL);
}

void hv_tlb_flush(void *ctx)
{
	(void)ctx;
	__asm__ volatile("sfence.vma zero, zero" ::: "memory");
}

/* Called from hv_trap() for a trap taken in M-mode. */
int hv_probe_trap(struct hv_frame *f);
int hv_probe_trap(struct hv_frame *f)
{
	if (!probing || f->mcause != CAUSE_ILLEGAL_INSN)
		return 0;
	probe_faulted = 1;
	f->mepc += 4;
	return 1;
}

static int probe_gwb(void)
{
	probing = 1;
	probe_faulted = 0;
	__asm__ volatile("csrr t0, 0x7c0" ::: "t0", "memory");
	probing = 0;
	return !probe_faulted;
}

static int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static void parse_u32(const char *args, const char *key, uint32_t *val, uint32_t max, const char *msg)
{
	uint32_t n;
	int rc = bootarg_get_u32(args, key, &n);

	if (rc == -2 || (rc == 0 && n > max))
		hv_fail(msg, 2);
	if (rc == 0)
		*val = n;
}

/* irq= and safepoint= (docs/io.md §2) */
static void parse_io_options(const char *args)
{
	char v[24];
	int rc;

	hv.io.policy = IO_POL_MATURE;
	rc = bootarg_get(args, "irq", v, sizeof(v));
	if (rc == 0) {
		if (str_eq(v, "immediate"))
			hv.io.policy = IO_POL_IMMEDIATE;
		else if (str_eq(v, "nominal"))
			hv.io.policy = IO_POL_NOMINAL;
		else if (str_eq(v, "mature"))
			hv.io.policy = IO_POL_MATURE;
		else
			hv_fail("unknown irq= policy (immediate, nominal or mature)", 2);
	} else if (rc == -2) {
		hv_fail("unknown irq= policy (immediate, nominal or mature)", 2);
	}
	hv.io.safepoints = IO_SP_IDLE;
	rc = bootarg_get(args, "safepoint", v, sizeof(v));
	if (rc == 0) {
		uint32_t sp = 0, i = 0, none = 0;

		while (v[i]) {
			uint32_t j = i;
			char c;

			while (v[j] && v[j] != ',')
				j++;
			c = v[j];
			v[j] = 0;
			if (str_eq(&v[i], "idle"))
				sp |= IO_SP_IDLE;
			else if (str_eq(&v[i], "poll"))
				sp |= IO_SP_POLL;
			else if (str_eq(&v[i], "none"))
				none = 1;
			else
				hv_fail("safepoint= takes idle, poll, both (idle,poll) or none", 2);
			i = c ? j + 1 : j;
		}
		if (!v[0] || (none && sp))
			hv_fail("safepoint= takes idle, poll, both (idle,poll) or none", 2);
		hv.io.safepoints = sp;
	} else if (rc == -2) {
		hv_fail("safepoint= takes idle, poll, both (idle,poll) or none", 2);
	}
	hv.io.dseek = 30000;
	hv.io.drot = 12000;
	hv.io.dxfer = 200;
	parse_u32(args, "dseek", &hv.io.dseek, 100000000u, "dseek= takes cycles in 0..100000000");
	parse_u32(args, "drot", &hv.io.drot, 100000000u, "drot= takes cycles in 0..100000000");
	parse_u32(args, "dxfer", &hv.io.dxfer, 1000000u, "dxfer= takes cycles per sector in 0..1000000");
}

static void parse_options(const char *args)
{
	char v[16];
	uint32_t n;
	int rc;

	hv.mode = PT_NATIVE;
	if (bootarg_get(args, "pt", v, sizeof(v)) == 0) {
		if (str_eq(v, "native"))
			hv.mode = PT_NATIVE;
		else if (str_eq(v, "wp"))
			hv.mode = PT_WP;
		else if (str_eq(v, "oos"))
			hv.mode = PT_OOS;
		else if (str_eq(v, "gwb"))
			hv.mode = PT_GWB;
		else
			hv_fail("unknown pt= mode (native, wp, oos or gwb)", 2);
	}
	rc = bootarg_get_u32(args, "audit", &n);
	if (rc == -2 || (rc == 0 && n > 1))
		hv_fail("audit= takes 0 or 1", 2);
	hv.audit = rc == 0 && n == 1;
	rc = bootarg_get_u32(args, "audit_selftest", &n);
	if (rc == -2)
		hv_fail("audit_selftest= takes 0, or N: corrupt one spte before the N-th audit", 2);
	hv.audit_selftest = rc == 0 ? n : 0;
	if (hv.audit_selftest && (!hv.audit || hv.mode == PT_NATIVE))
		hv_fail("audit_selftest=N needs audit=1 and a shadowing pt= mode", 2);
	hv.gwb.cap = 256;
	rc = bootarg_get_u32(args, "gwbcap", &n);
	if (rc == -2 || (rc == 0 && !gwb_cap_valid(n)))
		hv_fail("gwbcap= takes a power of two in 1..4096", 2);
	if (rc == 0)
		hv.gwb.cap = n;
	parse_io_options(args);
}

/* Metadata of the shadow MMU lives in the hypervisor's .bss. */
static struct shadow_page sp_desc[HV_POOL_PAGES];
static struct rmap_entry rmap[HV_RMAP_ENTRIES];
static uint32_t rmap_head[HV_GUEST_SIZE >> PAGE_SHIFT];

static void setup_shadow(void)
{
	struct shadow_env env = {
		.gram = (uint8_t *)(HV_GUEST_GPA + hv.guest_offset),
		.gram_gpa = HV_GUEST_GPA,
		.gram_size = HV_GUEST_SIZE,
		.gram_hpa = HV_GUEST_GPA + hv.guest_offset,
		.pool = (uint32_t *)HV_POOL_HPA,
		.pool_hpa = HV_POOL_HPA,
		.pool_pages = HV_POOL_PAGES,
		.sps = sp_desc,
		.rmap = rmap,
		.nrmap = HV_RMAP_ENTRIES,
		.rmap_head = rmap_head,
		.flush_tlb = hv_tlb_flush,
	};

	if (shadow_init(&hv.sh, &env, hv.mode))
		hv_fail("shadow MMU setup refused its layout", 3);
}

static void setup_gwb(void)
{
	hv.gwb.rec = (struct gwb_record *)HV_GWB_LOG_HPA;
	hv.gwb.hpa = HV_GWB_LOG_HPA;
	__asm__ volatile("csrw 0x7c0, zero" ::: "memory");
	__asm__ volatile("csrw 0x7c1, %0" ::"r"(hv.gwb.hpa) : "memory");
	__asm__ volatile("csrw 0x7c3, %0" ::"r"(hv.gwb.cap) : "memory");
	__asm__ volatile("csrw 0x7c2, zero" ::: "memory");
	__asm__ volatile("csrw 0x7c0, %0" ::"r"(MGWBCTL_EN) : "memory");
}

static void copy_bytes(uint8_t *d, const uint8_t *s, uint32_t n)
{
	if ((((uintptr_t)d | (uintptr_t)s | n) & 3u) == 0) {
		for (uint32_t i = 0; i < n; i += 4)
			*(uint32_t *)(d + i) = *(const uint32_t *)(s + i);
		return;
	}
	for (uint32_t i = 0; i < n; i++)
		d[i] = s[i];
}

/* mcycle per mtime tick at the nominal 100 MHz core clock: 100 MHz / timebase (10 when absent). */
static uint32_t timebase_cycles(const void *fdt)
{
	uint32_t len, tb;
	const uint8_t *p = fdt_lite_prop(fdt, "cpus", "timebase-frequency", &len);

	if (!p || len != 4)
		return 10;
	tb = ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
	if (tb == 0 || tb > 100000000u)
		return 10;
	return 100000000u / tb;
}

void hv_main(uint32_t hartid, const void *fdt);
void hv_main(uint32_t hartid, const void *fdt)
{
	const char *args = fdt_lite_bootargs(fdt);
	struct hv_frame *f = (struct hv_frame *)((uintptr_t)hv_stack_top - HVF_SIZE);
	uint32_t ram_base, ram_size, fdt_size, image_size = (uint32_t)(hv_guest_image_end - hv_guest_image);
	uint32_t status;

	if (!args)
		args = "";
	hv_stats_init();
	parse_options(args);
	hv.has_gwb = probe_gwb();
	if (fdt_lite_memory(fdt, &ram_base, &ram_size) || ram_base != 0x80000000u ||
	    ram_size < HV_HOST_RAM_MIN)
		hv_fail("the hypervisor needs at least 48 MiB of RAM at 0x80000000", 3);
	if (hv.mode == PT_GWB && !hv.has_gwb)
		hv_fail("pt=gwb needs the GWB extension (CSR 0x7c0 mgwbctl), and there is no GWB on this "
			"machine: use pt=native, wp or oos", 4);
	hv.guest_offset = hv.mode == PT_NATIVE ? 0 : HV_GUEST_OFFSET;

	/* guest RAM: the kernel image and the guest's own device tree */
	copy_bytes((uint8_t *)(HV_GUEST_KERNEL + hv.guest_offset), hv_guest_image, image_size);
	fdt_size = fdt_lite_build((void *)(HV_GUEST_FDT + hv.guest_offset), HV_GUEST_FDT_MAX, args,
				  HV_GUEST_GPA, HV_GUEST_SIZE);
	if (!fdt_size)
		hv_fail("bootargs too long for the guest's device tree", 2);
	__asm__ volatile("fence.i" ::: "memory");

	hv_console_puts("hv: pt=");
	hv_console_puts(hv.mode == PT_NATIVE ? "native" : hv.mode == PT_WP ? "wp" : hv.mode == PT_OOS ? "oos" : "gwb");
	hv_console_puts(hv.audit ? " audit=1" : "");
	hv_console_puts(hv.io.policy == IO_POL_IMMEDIATE ? " irq=immediate" :
			hv.io.policy == IO_POL_NOMINAL ? " irq=nominal" : " irq=mature");
	hv_console_puts(hv.has_gwb ? " (GWB present)\n" : " (no GWB)\n");

	/* the guest sees the counters; time comes from the CLINT through rdtime */
	csr_write(mcounteren, COUNTER_CY | COUNTER_TM | COUNTER_IR);
	csr_write(mideleg, MIP_SSIP | MIP_STIP | MIP_SEIP);
	status = csr_read(mstatus) & ~(MSTATUS_MPP | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR | MSTATUS_MPRV);
	status |= MSTATUS_MPP_S;
	status |= MSTATUS_TW; /* every mode: WFI is an exit (the idle safepoint) */
	if (hv.mode == PT_NATIVE) {
		/*
		 * only SBI, WFI and the legacy disk: the guest handles its own page faults; its
		 * access faults and illegal instructions come here, the ones that are not the
		 * disk or WFI go back to it
		 */
		csr_write(medeleg, (1u << CAUSE_MISALIGNED_FETCH) | (1u << CAUSE_FETCH_ACCESS) |
					   (1u << CAUSE_BREAKPOINT) | (1u << CAUSE_MISALIGNED_LOAD) |
					   (1u << CAUSE_MISALIGNED_STORE) | (1u << CAUSE_ECALL_U) |
					   (1u << CAUSE_FETCH_PAGE_FAULT) | (1u << CAUSE_LOAD_PAGE_FAULT) |
					   (1u << CAUSE_STORE_PAGE_FAULT));
		csr_write(satp, 0);
		/* the guest walker reads guest RAM through the shadow's environment */
		hv.sh.env.gram = (uint8_t *)HV_GUEST_GPA;
		hv.sh.env.gram_gpa = HV_GUEST_GPA;
		hv.sh.env.gram_size = HV_GUEST_SIZE;
		hv.sh.env.gram_hpa = HV_GUEST_GPA;
	} else {
		csr_write(medeleg, (1u << CAUSE_MISALIGNED_FETCH) | (1u << CAUSE_BREAKPOINT) |
					   (1u << CAUSE_MISALIGNED_LOAD) | (1u << CAUSE_MISALIGNED_STORE) |
					   (1u << CAUSE_ECALL_U));
		status |= MSTATUS_TVM;
		setup_shadow();
		hv.guest_satp = 0;
		csr_write(satp, shadow_set_guest_satp(&hv.sh, 0));
		if (hv.mode == PT_GWB)
			setup_gwb();
	}
	/* the M-mode timer serves the guest's SBI timer and the maturity wake-ups (hv_timer_rearm) */
	hv.guest_timer = ~0ull;
	hv.cycles_per_tick = timebase_cycles(fdt);
	vdisk_init(&hv.io, HV_GUEST_FDT, HV_GUEST_GPA + HV_GUEST_SIZE, hv.guest_offset);
	csr_set(mie, MIP_MTIP);
	hv_timer_rearm();
	hv_stats_update();
	for (uint32_t i = 0; i < 32; i++)
		f->regs[i] = 0;
	f->regs[10] = hartid;
	f->regs[11] = HV_GUEST_FDT;
	f->mepc = HV_GUEST_KERNEL;
	f->mstatus = status;
	hv_enter_guest(f);
}
