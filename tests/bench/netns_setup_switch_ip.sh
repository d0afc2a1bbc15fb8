#!/bin/sh
# netns_setup_switch_ip.sh PREFIX — the baseline for the switch half of
# `ci/bench netns-setup`: builds and tears down, with ip(8), what Testbed
# builds for 5 hosts n1..n5 on one switch s1 (harness/run/testbed.cpp), with a
# Linux bridge where synnet has its Switch app: per host a namespace with lo up
# and IPv6 off; a wire namespace with lo up; per host a veth eth0 <-> l<i>a
# created with each end in its namespace, tx checksum (hence TSO), GSO and GRO
# off on both ends, both up, address 198.18.0.<i>/24; a bridge in the wire
# namespace with the 5 ends enslaved; a permanent neighbour entry on every
# host for each of the 4 others (20); then addresses, veths and namespaces
# removed in that order (the bridge goes with the wire namespace).
set -e
p=$1
n=5
i=1
while [ $i -le $n ]; do
  ip netns add "$p-n$i"
  ip netns exec "$p-n$i" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  ip -n "$p-n$i" link set lo up
  i=$((i + 1))
done
ip netns add "$p-wire"
ip -n "$p-wire" link set lo up
ip -n "$p-wire" link add br0 type bridge
i=1
while [ $i -le $n ]; do
  l=$((i - 1))
  ip link add eth0 netns "$p-n$i" type veth peer name "$p-l${l}a" netns "$p-wire"
  ip netns exec "$p-n$i" ethtool -K eth0 tx off gso off gro off >/dev/null
  ip -n "$p-n$i" link set eth0 up
  ip netns exec "$p-wire" ethtool -K "$p-l${l}a" tx off gso off gro off >/dev/null
  ip -n "$p-wire" link set "$p-l${l}a" master br0 up
  ip -n "$p-n$i" addr add "198.18.0.$i/24" dev eth0
  i=$((i + 1))
done
ip -n "$p-wire" link set br0 up
i=1
while [ $i -le $n ]; do
  set -- $(ip -n "$p-n$i" -br link show dev eth0)  # "eth0@if7 UP 5a:...:0e <...>"
  eval "mac$i=$3"
  i=$((i + 1))
done
i=1
while [ $i -le $n ]; do
  j=1
  while [ $j -le $n ]; do
    if [ $j -ne $i ]; then
      eval "mac=\$mac$j"
      ip -n "$p-n$i" neigh add "198.18.0.$j" lladdr "$mac" dev eth0 nud permanent
    fi
    j=$((j + 1))
  done
  i=$((i + 1))
done
i=1
while [ $i -le $n ]; do
  ip -n "$p-n$i" addr del "198.18.0.$i/24" dev eth0
  i=$((i + 1))
done
i=1
while [ $i -le $n ]; do
  ip -n "$p-n$i" link del eth0
  i=$((i + 1))
done
ip netns del "$p-wire"
i=1
while [ $i -le $n ]; do
  ip netns del "$p-n$i"
  i=$((i + 1))
done
