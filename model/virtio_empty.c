/* virtio_empty.c: an empty virtio-mmio slot (DeviceID 0), as QEMU shows slots with no device. */
#include "mmio.h"

int virtio_empty_access_word(uint32_t slot, uint32_t off, bool we, uint32_t be,
			     uint32_t wdata, uint32_t *rdata)
{
	(void)be;
	(void)wdata;
	*rdata = 0;
	if (slot >= VIRTIO_SLOTS || off >= VIRTIO_REG_SIZE)
		return -EFAULT;
	if (we)
		return 0;   /* nothing to configure: writes are ignored */
	switch (off & ~3u) {
	case VIRTIO_MMIO_MAGIC_VALUE:
		*rdata = VIRTIO_MAGIC;
		break;
	case VIRTIO_MMIO_VERSION:
		*rdata = VIRTIO_VERSION_MODERN;
		break;
	case VIRTIO_MMIO_DEVICE_ID:
		*rdata = 0;   /* no device behind this slot */
		break;
	case VIRTIO_MMIO_VENDOR_ID:
		*rdata = VIRTIO_VENDOR_QEMU;
		break;
	default:
		break;
	}
	return 0;
}
