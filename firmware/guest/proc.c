/* proc.c: processes with their own address spaces, fork/exit/wait, syscalls from U-mode, the kernel's trap handler. */
#include "kernel.h"

/*
 * Rules:
 *  1. Exactly one process is RUNNING while U-mode runs; its saved frame is stale, the live
 *     one is on the kernel stack. A switch copies the live frame out and the next one in.
 *  2. A process is scheduled only at a syscall (no preemption): fork returns to the parent,
 *     wait, exit and disk I/O give the hart to another runnable process. With none
 *     runnable but some blocked on the disk, the kernel idles: WFI with interrupts taken
 *     between WFIs, until a completion makes a process runnable.
 *  3. exit frees the address space at once; the zombie keeps only its exit code until its
 *     parent's wait reaps it.
 *  4. The disk serves one request at a time: a BLOCKED process either owns the request in
 *     flight (io_cur) or waits in the FIFO ioq. Its completion writes its saved frame's
 *     a0/a1, so a frame is saved before the hart can idle and never copied over after.
 */

#define NPROC 16
enum pstate { P_FREE, P_RUNNABLE, P_RUNNING, P_WAITING, P_ZOMBIE, P_BLOCKED };

struct proc {
	enum pstate state;
	uint32_t pid, parent, root;
	int exit_code;
	uint32_t io_cmd, io_lba, io_count, io_dma; /* the disk request it is blocked on */
	struct kframe tf;
};

static struct proc procs[NPROC];
static struct proc *cur;
static struct proc *io_cur, *ioq[NPROC]; /* rule 4 */
static uint32_t ioq_head, ioq_n, io_ops;
uint32_t mix_dseed;
static uint32_t next_pid = 1, init_work, init_n;
static uint64_t init_t0;
uint64_t user_report;
uint32_t user_faults;

static void copy_frame(struct kframe *d, const struct kframe *s)
{
	for (uint32_t i = 0; i < 32; i++)
		d->regs[i] = s->regs[i];
	d->sepc = s->sepc;
	d->sstatus = s->sstatus;
	d->scause = s->scause;
	d->stval = s->stval;
}

static struct proc *proc_alloc(void)
{
	for (uint32_t i = 0; i < NPROC; i++) {
		if (procs[i].state == P_FREE) {
			procs[i].pid = next_pid++;
			procs[i].exit_code = 0;
			return &procs[i];
		}
	}
	return 0;
}

static struct proc *by_pid(uint32_t pid)
{
	for (uint32_t i = 0; i < NPROC; i++)
		if (procs[i].state != P_FREE && procs[i].pid == pid)
			return &procs[i];
	return 0;
}

/* Rule 1: f is the live frame of cur; run p next. */
static void switch_to(struct kframe *f, struct proc *p)
{
	if (cur && cur->state != P_FREE && cur->state != P_ZOMBIE)
		copy_frame(&cur->tf, f);
	cur = p;
	p->state = P_RUNNING;
	copy_frame(f, &p->tf);
	satp_switch(p->root);
}

static void init_exited(int code)
{
	uint64_t cycles = rdcycle64() - init_t0;

	if (init_work == WORK_COMPUTE && code == 0) {
		uint64_t m = (uint64_t)init_n * 1000u, want = (m - 1) * m * (2 * m - 1) / 6;

		if (user_report != want) {
			kputs("guest: compute: wrong sum\n");
			code = 20;
		}
	}
	if (init_work == WORK_PGFAULT && code == 0 && user_faults != init_n) {
		kputs("guest: pgfault: page faults taken != pages touched\n");
		code = 21;
	}
	if (frames_free() == 0)
		code = 22;
	if (init_work == WORK_MIX) {
		kstat("work.ops", io_ops);
		kstat("work.bytes", (uint64_t)io_ops * 8u * 512u);
		kstat("work.ops_per_sec", cycles ? (uint64_t)io_ops * 100000000ull / cycles : 0);
		kstat("work.irqs", disk_irqs);
		kstat("work.lost_completions", disk_lost);
		if (code == 0 && (io_ops != 4 * init_n || disk_lost))
			code = 23; /* two processes, n writes and n reads each */
	}
	kstat("work.faults", user_faults);
	work_done(init_work, init_n, code, cycles);
}

/* Rules 2 and 4: save the live frame once, then run the next runnable process, idling meanwhile. */
static void schedule(struct kframe *f)
{
	uint32_t from = cur ? (uint32_t)(cur - procs) : 0;

	if (cur && cur->state != P_FREE && cur->state != P_ZOMBIE)
		copy_frame(&cur->tf, f);
	for (;;) {
		for (uint32_t k = 1; k <= NPROC; k++) {
			struct proc *p = &procs[(from + k) % NPROC];

			if (p->state == P_RUNNABLE) {
				cur = p;
				p->state = P_RUNNING;
				copy_frame(f, &p->tf);
				satp_switch(p->root);
				return;
			}
		}
		if (!io_cur)
			kpanic("no runnable process", cur ? cur->pid : 0);
		/* idle: S-mode runs with SIE=0; WFI, then a window to take what woke it */
		__asm__ volatile("wfi");
		kcsr_set(sstatus, MSTATUS_SIE);
		kcsr_clear(sstatus, MSTATUS_SIE);
	}
}

/* ---- disk I/O by syscall (rule 4) ---- */

static void io_issue(struct proc *p);

/* In the S external interrupt: the request of ctx finished. */
static void io_done(void *ctx, uint32_t status, uint32_t error)
{
	struct proc *p = ctx;

	p->tf.regs[10] = status;
	p->tf.regs[11] = error;
	p->state = P_RUNNABLE;
	io_cur = 0;
	io_ops++;
	if (ioq_n) {
		struct proc *next = ioq[ioq_head];

		ioq_head = (ioq_head + 1) % NPROC;
		ioq_n--;
		io_issue(next);
	}
}

static void io_issue(struct proc *p)
{
	io_cur = p;
	disk_start(p->io_cmd, p->io_lba, p->io_count, p->io_dma, io_done, p);
}

/* a0 = command, a1 = LBA, a2 = sectors (1..8), a3 = buffer va inside one user page. */
static void sys_disk(struct kframe *f)
{
	uint32_t cmd = f->regs[10], count = f->regs[12], va = f->regs[13], *slot;

	if ((cmd != DISK_READ && cmd != DISK_WRITE) || count == 0 || count > 8 || (va & 3u) ||
	    (va & (PAGE_SIZE - 1)) + count * 512u > PAGE_SIZE ||
	    !(slot = pte_lookup(cur->root, va, 0)) || !(*slot & PTE_V) || !(*slot & PTE_U) ||
	    (cmd == DISK_READ && !(*slot & PTE_W))) {
		f->regs[10] = (uint32_t)-1;
		return;
	}
	cur->io_cmd = cmd;
	cur->io_lba = f->regs[11];
	cur->io_count = count;
	cur->io_dma = (pte_ppn(*slot) << PAGE_SHIFT) | (va & (PAGE_SIZE - 1));
	cur->state = P_BLOCKED;
	copy_frame(&cur->tf, f); /* rule 4: saved before the request can complete */
	if (!io_cur) {
		io_issue(cur);
	} else {
		ioq[(ioq_head + ioq_n) % NPROC] = cur;
		ioq_n++;
	}
	schedule(f);
}

static void sys_exit(struct kframe *f, int code)
{
	struct proc *parent = by_pid(cur->parent);

	satp_switch(mm_kernel_root());
	mm_free_space(cur->root);
	cur->root = 0;
	if (!parent) {
		init_exited(code);
		return;
	}
	cur->exit_code = code;
	cur->state = P_ZOMBIE;
	if (parent->state == P_WAITING) {
		parent->tf.regs[10] = (uint32_t)code;
		parent->tf.regs[11] = cur->pid;
		parent->state = P_RUNNABLE;
		cur->state = P_FREE;
	}
	schedule(f);
}

static void sys_wait(struct kframe *f)
{
	int children = 0;

	for (uint32_t i = 0; i < NPROC; i++) {
		struct proc *p = &procs[i];

		if (p->state == P_FREE || p->parent != cur->pid)
			continue;
		children++;
		if (p->state == P_ZOMBIE) {
			f->regs[10] = (uint32_t)p->exit_code;
			f->regs[11] = p->pid;
			p->state = P_FREE;
			return;
		}
	}
	if (!children) {
		f->regs[10] = (uint32_t)-1;
		return;
	}
	cur->state = P_WAITING;
	schedule(f);
}

static void sys_fork(struct kframe *f)
{
	struct proc *c = proc_alloc();

	if (!c) {
		f->regs[10] = (uint32_t)-1;
		return;
	}
	c->root = mm_copy_space(cur->root);
	c->parent = cur->pid;
	copy_frame(&c->tf, f);
	c->tf.regs[10] = 0;
	c->state = P_RUNNABLE;
	f->regs[10] = c->pid;
}

static void user_page_fault(struct kframe *f)
{
	uint32_t va = f->stval & ~(PAGE_SIZE - 1), *slot;

	if (va < UVA_HEAP || va >= UVA_HEAP + UVA_HEAP_PAGES * PAGE_SIZE ||
	    !(slot = pte_lookup(cur->root, va, 1)) || (*slot & PTE_V)) {
		kputs("guest: user page fault outside the heap, killed\n");
		sys_exit(f, 99);
		return;
	}
	/* demand paging: a fresh zeroed frame, then the flush RISC-V asks for */
	pte_set(slot, pte_from_ppn(frame_alloc() >> PAGE_SHIFT) | PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D);
	sfence_va(va);
	user_faults++;
}

void ktrap(struct kframe *f)
{
	uint32_t cause = f->scause;

	if (cause & CAUSE_INTERRUPT) {
		if ((cause & ~CAUSE_INTERRUPT) == IRQ_S_EXT) {
			disk_irq();
			return;
		}
		if ((cause & ~CAUSE_INTERRUPT) != IRQ_S_TIMER)
			kpanic("unexpected interrupt", cause);
		/* a periodic tick while processes run (tick=), else the boot self-test's one */
		timer_ticks++;
		sbi_set_timer(tick_period ? rdtime64() + tick_period : ~0ull);
		return;
	}
	if (f->sstatus & MSTATUS_SPP)
		kpanic("kernel trap, scause", cause);
	switch (cause) {
	case CAUSE_ECALL_U:
		f->sepc += 4;
		switch (f->regs[17]) {
		case SYS_EXIT:
			sys_exit(f, (int)f->regs[10]);
			break;
		case SYS_FORK:
			sys_fork(f);
			break;
		case SYS_WAIT:
			sys_wait(f);
			break;
		case SYS_PUTC: {
			char s[2] = { (char)f->regs[10], 0 };

			kputs(s);
			break;
		}
		case SYS_REPORT:
			user_report = ((uint64_t)f->regs[11] << 32) | f->regs[10];
			break;
		case SYS_DISK:
			sys_disk(f);
			break;
		default:
			f->regs[10] = (uint32_t)-1;
			break;
		}
		break;
	case CAUSE_LOAD_PAGE_FAULT:
	case CAUSE_STORE_PAGE_FAULT:
		user_page_fault(f);
		break;
	default:
		kputs("guest: user trap, killed\n");
		sys_exit(f, 98);
		break;
	}
}

void proc_run_init(uint32_t work_id, uint32_t n)
{
	struct kframe *f = (struct kframe *)((uintptr_t)kstack_top - sizeof(struct kframe));
	struct proc *p = proc_alloc();

	init_work = work_id;
	init_n = n;
	p->root = mm_new_space();
	p->parent = 0;
	for (uint32_t i = 0; i < UVA_STACK_PAGES; i++)
		pte_set(pte_lookup(p->root, UVA_STACK_TOP - (i + 1) * PAGE_SIZE, 1),
			pte_from_ppn(frame_alloc() >> PAGE_SHIFT) | PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D);
	for (uint32_t i = 0; i < 32; i++)
		p->tf.regs[i] = 0;
	p->tf.regs[2] = UVA_STACK_TOP;
	p->tf.regs[10] = work_id;
	p->tf.regs[11] = n;
	p->tf.regs[12] = mix_dseed;
	p->tf.sepc = (uint32_t)user_main;
	p->tf.sstatus = (kcsr_read(sstatus) & ~(MSTATUS_SPP | MSTATUS_SIE)) | MSTATUS_SPIE;
	cur = 0;
	for (uint32_t i = 0; i < 32; i++)
		f->regs[i] = 0;
	switch_to(f, p);
	if (tick_period) {
		sbi_set_timer(rdtime64() + tick_period);
		kcsr_set(sie, MIP_STIP); /* taken in U (S-mode runs with SIE=0) */
	}
	init_t0 = rdcycle64();
	kenter(f);
}
