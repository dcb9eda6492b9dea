// SPDX-License-Identifier: GPL-2.0
/*
 * The virtio network device (--tunnet): the guest's eth0 is one end of a
 * tap device in the host, and the other end is an ordinary host network
 * interface ("tap0", "tap1", ...).
 *
 * --tunnet=IPADDR gives the host end an IPv4 address in a /24, so the
 * guest reaches the host by giving itself another address in that /24;
 * --tunnet=bridge:NAME puts the host end on an existing bridge instead,
 * and the guest is on whatever network the bridge joins.  Either way a
 * MAC address may follow (":52:54:00:12:34:56"): then we offer
 * VIRTIO_NET_F_MAC and the guest uses it; without one the guest makes
 * up a random one, as it does for any virtio NIC without a MAC.
 *
 * Queue 0 receives (tap to guest), queue 1 transmits (guest to tap).
 * Every frame on both sides starts with a 12-byte struct
 * virtio_net_hdr_v1: the tap is opened with IFF_VNET_HDR and a header
 * size of 12, the header virtio 1.0 drivers always use, so a frame goes
 * from one side to the other with one readv() or writev() and no copy.
 * The header means the same to the tap as to the guest, so offloads
 * come almost free.  The guest may send frames of up to 64 KiB with the
 * checksum left to do (CSUM, HOST_TSO4/6/ECN), which the tap takes as
 * they are; when the driver accepts GUEST_CSUM and GUEST_TSO4/6/ECN we
 * switch the matching tap offloads on with TUNSETOFFLOAD, so that the
 * host hands the guest such frames too.  Those land in mergeable receive
 * buffers (MRG_RXBUF): without it a driver that takes big frames must
 * post 64 KiB buffers, 18 MiB of a small guest's memory per queue.  All
 * we write into a header is num_buffers, and, for a driver without
 * GUEST_CSUM, flags of 0.
 *
 * The tap is not persistent: it goes away when its fd closes, which
 * includes every way we exit, so a setup error leaves nothing behind.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/if_tun.h>
#include <linux/sockios.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_net.h>
#include "device.h"
#include "util.h"

#define VNET_HDR_LEN	((int)sizeof(struct virtio_net_hdr_v1))

struct net {
	const char *arg;	/* the option, for messages */
	int tap_fd;
	char tap[IFNAMSIZ];
};

/*
 * Write len bytes at offset off into the chain iov[0..n) (the header
 * fields we fill in on receive may straddle the driver's buffers).
 */
static void iov_put(const struct iovec *iov, unsigned int n, size_t off,
		    const void *src, size_t len)
{
	unsigned int i;

	for (i = 0; i < n && len; i++) {
		size_t k;

		if (off >= iov[i].iov_len) {
			off -= iov[i].iov_len;
			continue;
		}
		k = iov[i].iov_len - off < len ? iov[i].iov_len - off : len;
		memcpy((uint8_t *)iov[i].iov_base + off, src, k);
		src = (const uint8_t *)src + k;
		len -= k;
		off = 0;
	}
}

static size_t iov_size(const struct iovec *iov, unsigned int n)
{
	size_t len = 0;

	while (n--)
		len += iov++->iov_len;
	return len;
}

/*
 * The tap may hand us only what the driver accepted: frames with the
 * checksum left to do with GUEST_CSUM, big TCP frames with GUEST_TSO4/6
 * (and ECN).  The receive thread starts at DRIVER_OK, when the features
 * are settled.
 */
static void set_tap_offloads(struct net *net, uint64_t features)
{
	unsigned int off = 0;

	if (features & (1ull << VIRTIO_NET_F_GUEST_CSUM)) {
		off |= TUN_F_CSUM;
		if (features & (1ull << VIRTIO_NET_F_GUEST_TSO4))
			off |= TUN_F_TSO4;
		if (features & (1ull << VIRTIO_NET_F_GUEST_TSO6))
			off |= TUN_F_TSO6;
		if ((off & (TUN_F_TSO4 | TUN_F_TSO6)) &&
		    (features & (1ull << VIRTIO_NET_F_GUEST_ECN)))
			off |= TUN_F_TSO_ECN;
	}
	if (ioctl(net->tap_fd, TUNSETOFFLOAD, off) < 0)
		die(EXIT_CRASH, "--%s: %s: TUNSETOFFLOAD %#x: %s", net->arg,
		    net->tap, off, strerror(errno));
	trace("virtio net %s: tap offloads %#x", net->tap, off);
}

/* The biggest frame the tap hands us with TSO on, with its header. */
#define RX_FRAME_MAX	(VNET_HDR_LEN + 65536 + 18)

/*
 * Frames from the tap into the driver's receive buffers.  Without
 * MRG_RXBUF a frame goes in one buffer; with it, in as many as it fills,
 * so we take buffers until the biggest frame would fit (or there are no
 * more), read the frame into all of them, and give back those it did not
 * reach.
 */
static void net_rx(struct virtqueue *vq)
{
	struct net *net = vq->dev->priv;
	uint64_t features = vq->dev->drv_features;
	bool merge = features & (1ull << VIRTIO_NET_F_MRG_RXBUF);
	bool csum = features & (1ull << VIRTIO_NET_F_GUEST_CSUM);
	/* Room for a whole chain after the first VIRTQUEUE_MAX buffers. */
	struct iovec iov[2 * VIRTQUEUE_MAX];
	uint16_t heads[VIRTQUEUE_MAX], nbufs;
	uint32_t lens[VIRTQUEUE_MAX], room[VIRTQUEUE_MAX];
	unsigned int out, in, niov, nheads, used;
	const uint8_t no_flags = 0;
	size_t total, left;
	bool pushed;
	ssize_t len;

	set_tap_offloads(net, features);
	while (vq_wait(vq) && vq_wait_fd(vq, net->tap_fd)) {
		/* Every frame waiting that fits in the buffers, then one interrupt. */
		pushed = false;
		do {
			niov = nheads = 0;
			total = 0;
			do {
				heads[nheads] = vq_pop(vq, iov + niov, VIRTQUEUE_MAX, &out, &in);
				if (out)
					bad_driver(vq->dev, "receive buffer the device may only read");
				room[nheads] = iov_size(iov + niov, in);
				total += room[nheads++];
				niov += in;
			} while (merge && total < RX_FRAME_MAX && niov < VIRTQUEUE_MAX &&
				 vq_has_buffer(vq));

			len = readv(net->tap_fd, iov, niov);
			if (len < 0 && (errno == EAGAIN || errno == EINTR)) {
				/* Nothing more to read: the buffers stay available. */
				vq->last_avail -= nheads;
				break;
			}
			if (len < 0 && errno != EFAULT && errno != EINVAL)
				die(EXIT_CRASH, "--%s: reading %s: %s",
				    net->arg, net->tap, strerror(errno));
			/*
			 * The tap copies what fits of a frame too big for the
			 * buffers and returns its full length (or EFAULT):
			 * the frame is lost, as on a wire, the buffers stay.
			 */
			if (len < 0 || (size_t)len > total) {
				trace("virtio net %s: a frame bigger than the guest's %zu bytes of buffers, dropped",
				      net->tap, total);
				vq->last_avail -= nheads;
				continue;
			}
			if (len < VNET_HDR_LEN)
				die(EXIT_CRASH, "--%s: %s gave a frame of %zd bytes, shorter than its vnet header",
				    net->arg, net->tap, len);

			/* The buffers the frame filled, and how much of each. */
			for (used = 0, left = len; left; used++) {
				lens[used] = left < room[used] ? left : room[used];
				left -= lens[used];
			}
			vq->last_avail -= nheads - used;
			nbufs = used;
			iov_put(iov, niov, offsetof(struct virtio_net_hdr_v1, num_buffers),
				&nbufs, sizeof(nbufs));
			/*
			 * A frame the host stack already checked comes with
			 * DATA_VALID, which a driver without GUEST_CSUM must
			 * not see; it checks the frame itself.
			 */
			if (!csum)
				iov_put(iov, niov, offsetof(struct virtio_net_hdr_v1, flags),
					&no_flags, sizeof(no_flags));
			vq_push_n(vq, heads, lens, used);
			pushed = true;
		} while (vq_has_buffer(vq));
		if (pushed)
			vq_interrupt(vq);
	}
}

/* Frames from the guest to the tap. */
static void net_tx(struct virtqueue *vq)
{
	struct net *net = vq->dev->priv;
	struct iovec iov[VIRTQUEUE_MAX];
	unsigned int head, out, in;
	ssize_t len;

	while (vq_wait(vq)) {
		do {
			head = vq_pop(vq, iov, VIRTQUEUE_MAX, &out, &in);
			if (in)
				bad_driver(vq->dev, "transmit buffer the device may write");
			len = writev(net->tap_fd, iov, out);
			/*
			 * A frame the tap refuses (a malformed header, the
			 * host end down) is lost, as on a wire: the guest's
			 * protocols cope.
			 */
			if (len < 0)
				trace("virtio net %s: frame dropped: %s",
				      net->tap, strerror(errno));
			vq_push(vq, head, 0);
		} while (vq_has_buffer(vq));
		vq_interrupt(vq);
	}
}

static const struct device_type net_type = {
	.name = "net",
	.virtio_id = VIRTIO_ID_NET,
	.class_code = 0x020000,		/* network controller, ethernet */
	.features = (1ull << VIRTIO_NET_F_CSUM) | (1ull << VIRTIO_NET_F_GUEST_CSUM) |
		    (1ull << VIRTIO_NET_F_GUEST_TSO4) | (1ull << VIRTIO_NET_F_GUEST_TSO6) |
		    (1ull << VIRTIO_NET_F_GUEST_ECN) | (1ull << VIRTIO_NET_F_HOST_TSO4) |
		    (1ull << VIRTIO_NET_F_HOST_TSO6) | (1ull << VIRTIO_NET_F_HOST_ECN) |
		    (1ull << VIRTIO_NET_F_MRG_RXBUF) | (1ull << VIRTIO_RING_F_INDIRECT_DESC),
	.nr_queues = 2,
	.service = { net_rx, net_tx },
	/* The MAC, and the status word after it (unused: no F_STATUS). */
	.config_size = offsetof(struct virtio_net_config, max_virtqueue_pairs),
};

/* Our usage and setup errors, in one form: what, why, how to fix it. */
#define net_die(net, fmt, ...) \
	die(EXIT_SETUP, "--%s: " fmt, (net)->arg, ##__VA_ARGS__)

static unsigned int hexval(char c)
{
	return isdigit((unsigned char)c) ? c - '0' : tolower((unsigned char)c) - 'a' + 10;
}

/* "52:54:00:12:34:56" into mac; false if it is not that form. */
static bool parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int i;

	for (i = 0; i < 6; i++) {
		if (!isxdigit((unsigned char)s[0]) || !isxdigit((unsigned char)s[1]))
			return false;
		if (s[2] != (i == 5 ? '\0' : ':'))
			return false;
		mac[i] = hexval(s[0]) << 4 | hexval(s[1]);
		s += 3;
	}
	return true;
}

/* An interface name into an ifreq (the names were checked to fit). */
static void set_ifname(struct ifreq *ifr, const char *name)
{
	snprintf(ifr->ifr_name, sizeof(ifr->ifr_name), "%s", name);
}

/*
 * The ioctls that configure interfaces take a socket; which kind does
 * not matter.
 */
static int ifreq_socket(struct net *net)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		net_die(net, "cannot make a socket to configure %s: %s; the host needs IPv4 (CONFIG_INET)",
			net->tap, strerror(errno));
	return fd;
}

static void if_up(struct net *net, int sk)
{
	struct ifreq ifr = { 0 };

	set_ifname(&ifr, net->tap);
	if (ioctl(sk, SIOCGIFFLAGS, &ifr) < 0)
		net_die(net, "%s: SIOCGIFFLAGS: %s", net->tap, strerror(errno));
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(sk, SIOCSIFFLAGS, &ifr) < 0)
		net_die(net, "cannot bring %s up: %s", net->tap, strerror(errno));
}

/* The host end gets addr/24. */
static void set_address(struct net *net, int sk, struct in_addr addr)
{
	struct ifreq ifr = { 0 };
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;

	set_ifname(&ifr, net->tap);
	sin->sin_family = AF_INET;
	sin->sin_addr = addr;
	if (ioctl(sk, SIOCSIFADDR, &ifr) < 0)
		net_die(net, "cannot give %s the address %s: %s",
			net->tap, inet_ntoa(addr), strerror(errno));
	sin->sin_addr.s_addr = htonl(0xFFFFFF00);
	if (ioctl(sk, SIOCSIFNETMASK, &ifr) < 0)
		net_die(net, "cannot give %s the netmask 255.255.255.0: %s",
			net->tap, strerror(errno));
}

static void add_to_bridge(struct net *net, int sk, const char *bridge)
{
	struct ifreq ifr = { 0 };

	set_ifname(&ifr, net->tap);
	if (ioctl(sk, SIOCGIFINDEX, &ifr) < 0)
		net_die(net, "%s: SIOCGIFINDEX: %s", net->tap, strerror(errno));
	set_ifname(&ifr, bridge);
	if (ioctl(sk, SIOCBRADDIF, &ifr) == 0)
		return;
	if (errno == ENODEV)
		net_die(net, "there is no bridge %s in this host; create it first (ip link add %s type bridge; ip link set %s up)",
			bridge, bridge, bridge);
	if (errno == EOPNOTSUPP)
		net_die(net, "%s is not a bridge; name a bridge (ip -d link show type bridge lists them)",
			bridge);
	if (errno == ENOPKG)
		net_die(net, "cannot add %s to bridge %s: %s; the host needs bridging (CONFIG_BRIDGE)",
			net->tap, bridge, strerror(errno));
	net_die(net, "cannot add %s to bridge %s: %s", net->tap, bridge,
		strerror(errno));
}

/* A new tap device, named by the kernel ("tap0", ...), for frames with headers. */
static void open_tap(struct net *net)
{
	struct ifreq ifr = { 0 };
	int hdr_len = VNET_HDR_LEN;

	net->tap_fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (net->tap_fd < 0) {
		if (errno == ENOENT || errno == ENODEV || errno == ENXIO)
			net_die(net, "/dev/net/tun: %s; the host needs the tun driver (CONFIG_TUN, modprobe tun) and its device node (mkdir -p /dev/net; mknod /dev/net/tun c 10 200)",
				strerror(errno));
		if (errno == EACCES || errno == EPERM)
			net_die(net, "/dev/net/tun: %s; creating a network device needs root (CAP_NET_ADMIN)",
				strerror(errno));
		net_die(net, "/dev/net/tun: %s", strerror(errno));
	}
	set_ifname(&ifr, "tap%d");
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
	if (ioctl(net->tap_fd, TUNSETIFF, &ifr) < 0)
		net_die(net, "cannot create a tap device: TUNSETIFF: %s%s",
			strerror(errno), errno == EPERM ?
			"; creating a network device needs root (CAP_NET_ADMIN)" : "");
	memcpy(net->tap, ifr.ifr_name, IFNAMSIZ);
	net->tap[IFNAMSIZ - 1] = '\0';
	if (ioctl(net->tap_fd, TUNSETVNETHDRSZ, &hdr_len) < 0)
		net_die(net, "%s: TUNSETVNETHDRSZ %d: %s", net->tap, hdr_len,
			strerror(errno));
}

void net_setup(const char *val)
{
	struct net *net = calloc_or_die(sizeof(*net));
	struct device_type *type = calloc_or_die(sizeof(*type));
	const char *colon;
	char *arg;
	char where[64];
	char *bridge = NULL;
	struct in_addr addr;
	struct device *dev;
	uint8_t mac[6];
	bool has_mac;
	int sk;

	/* Messages name the option as it was given: "--tunnet=VALUE". */
	arg = calloc_or_die(strlen("tunnet=") + strlen(val) + 1);
	strcpy(arg, "tunnet=");
	strcat(arg, val);
	net->arg = arg;
	net->tap_fd = -1;
	*type = net_type;

	/* What the host end is: an address, or a bridge to join. */
	if (!strncmp(val, "bridge:", 7)) {
		val += 7;
		colon = strchr(val, ':');
		bridge = strndup(val, colon ? (size_t)(colon - val) : strlen(val));
		if (!bridge)
			die(EXIT_CRASH, "out of memory");
		if (!bridge[0] || strlen(bridge) >= IFNAMSIZ)
			net_die(net, "'%s' is not an interface name (1 to %d characters); give --tunnet=bridge:NAME[:MAC]",
				bridge, IFNAMSIZ - 1);
	} else {
		char ip[INET_ADDRSTRLEN] = "";
		size_t n;

		colon = strchr(val, ':');
		n = colon ? (size_t)(colon - val) : strlen(val);
		/* Longer than any dotted quad: leave ip empty, which fails. */
		if (n < sizeof(ip))
			memcpy(ip, val, n);
		if (inet_pton(AF_INET, ip, &addr) != 1)
			net_die(net, "'%.*s' is not an IPv4 address; give --tunnet=IPADDR[:MAC] (e.g. --tunnet=10.0.0.1) or --tunnet=bridge:NAME[:MAC]",
				(int)n, val);
	}
	has_mac = colon != NULL;
	if (has_mac && !parse_mac(colon + 1, mac))
		net_die(net, "'%s' is not a MAC address; give six hex pairs, as in 52:54:00:12:34:56",
			colon + 1);
	if (has_mac && !memcmp(mac, "\0\0\0\0\0\0", 6))
		net_die(net, "00:00:00:00:00:00 is no NIC's address; give one such as 52:54:00:12:34:56, or none");
	if (has_mac && (mac[0] & 1))
		net_die(net, "%s is a multicast address, which a NIC cannot have; clear the low bit of its first byte (e.g. 52:54:00:12:34:56)",
			colon + 1);

	open_tap(net);
	sk = ifreq_socket(net);
	if (bridge) {
		add_to_bridge(net, sk, bridge);
		snprintf(where, sizeof(where), "on bridge %s", bridge);
	} else {
		set_address(net, sk, addr);
		snprintf(where, sizeof(where), "host end %s/24", inet_ntoa(addr));
	}
	if_up(net, sk);
	close(sk);
	free(bridge);

	if (has_mac)
		type->features |= 1ull << VIRTIO_NET_F_MAC;
	dev = add_device(type, net);
	if (has_mac)
		memcpy(dev->config + offsetof(struct virtio_net_config, mac), mac, 6);
	/* Which tap is ours: the user may want to route or filter it. */
	warnx_("--%s: the guest's network is %s, %s", arg, net->tap, where);
}
