#!/bin/sh
# netns_setup_ip.sh PREFIX — the baseline for `ci/bench netns-setup`: builds
# and tears down the PoC topology with ip(8), step for step what the
# benchmark's C++ side does with synnet_netns (namespaces a, b and wire; veths
# a0<->wa and b0<->wb with each end created in its namespace; two addresses;
# links up; then addresses, veths and namespaces removed in reverse order).
set -e
p=$1
ip netns add "$p-a"
ip netns add "$p-b"
ip netns add "$p-wire"
ip link add "$p-a0" netns "$p-a" type veth peer name "$p-wa" netns "$p-wire"
ip link add "$p-b0" netns "$p-b" type veth peer name "$p-wb" netns "$p-wire"
ip -n "$p-a" addr add 198.18.0.1/24 dev "$p-a0"
ip -n "$p-b" addr add 198.18.0.2/24 dev "$p-b0"
ip -n "$p-a" link set lo up
ip -n "$p-b" link set lo up
ip -n "$p-wire" link set lo up
ip -n "$p-a" link set "$p-a0" up
ip -n "$p-b" link set "$p-b0" up
ip -n "$p-wire" link set "$p-wa" up
ip -n "$p-wire" link set "$p-wb" up
ip -n "$p-b" addr del 198.18.0.2/24 dev "$p-b0"
ip -n "$p-a" addr del 198.18.0.1/24 dev "$p-a0"
ip -n "$p-b" link del "$p-b0"
ip -n "$p-a" link del "$p-a0"
ip netns del "$p-wire"
ip netns del "$p-b"
ip netns del "$p-a"
