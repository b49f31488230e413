set datafile missing 'nan'
set grid
set samples 400
set logscale x 2
set xrange [0.714286:1433.600000]
set xtics (1, 1024)
set terminal pngcairo size 1548,585 noenhanced
set output 'lab8_cluster-atomic-throughput.png'
set ylabel 'goodput, increments/s kept'
unset logscale y
set yrange [0:163267]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab8_cluster / atomic: goodput, increments/s kept\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'keys, log scale'
plot 'lab8_cluster-atomic.dat' index 0 using 1:26:27:28 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'redis shards=1 [cluster_nodes=1]', 'lab8_cluster-atomic.dat' index 1 using 1:26:27:28 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'redis shards=1 [cluster_nodes=3]', 'lab8_cluster-atomic.dat' index 2 using 1:26:27:28 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'redis shards=3 shard_by=worker [cluster_nodes=1]', 'lab8_cluster-atomic.dat' index 3 using 1:26:27:28 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'redis shards=3 shard_by=worker [cluster_nodes=3]'
unset multiplot
set terminal svg size 1548,585 noenhanced
set output 'lab8_cluster-atomic-throughput.svg'
set ylabel 'goodput, increments/s kept'
unset logscale y
set yrange [0:163267]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab8_cluster / atomic: goodput, increments/s kept\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'keys, log scale'
plot 'lab8_cluster-atomic.dat' index 0 using 1:26:27:28 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'redis shards=1 [cluster_nodes=1]', 'lab8_cluster-atomic.dat' index 1 using 1:26:27:28 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'redis shards=1 [cluster_nodes=3]', 'lab8_cluster-atomic.dat' index 2 using 1:26:27:28 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'redis shards=3 shard_by=worker [cluster_nodes=1]', 'lab8_cluster-atomic.dat' index 3 using 1:26:27:28 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'redis shards=3 shard_by=worker [cluster_nodes=3]'
unset multiplot
set terminal pngcairo size 1548,585 noenhanced
set output 'lab8_cluster-atomic-p99.png'
set ylabel 'p99 service time (us)'
unset logscale y
set yrange [0:154.316]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab8_cluster / atomic: p99 service time (us)\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'keys, log scale'
plot 'lab8_cluster-atomic.dat' index 0 using 1:5:6:7 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'redis shards=1 [cluster_nodes=1]', 'lab8_cluster-atomic.dat' index 1 using 1:5:6:7 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'redis shards=1 [cluster_nodes=3]', 'lab8_cluster-atomic.dat' index 2 using 1:5:6:7 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'redis shards=3 shard_by=worker [cluster_nodes=1]', 'lab8_cluster-atomic.dat' index 3 using 1:5:6:7 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'redis shards=3 shard_by=worker [cluster_nodes=3]'
unset multiplot
set terminal svg size 1548,585 noenhanced
set output 'lab8_cluster-atomic-p99.svg'
set ylabel 'p99 service time (us)'
unset logscale y
set yrange [0:154.316]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab8_cluster / atomic: p99 service time (us)\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'keys, log scale'
plot 'lab8_cluster-atomic.dat' index 0 using 1:5:6:7 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'redis shards=1 [cluster_nodes=1]', 'lab8_cluster-atomic.dat' index 1 using 1:5:6:7 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'redis shards=1 [cluster_nodes=3]', 'lab8_cluster-atomic.dat' index 2 using 1:5:6:7 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'redis shards=3 shard_by=worker [cluster_nodes=1]', 'lab8_cluster-atomic.dat' index 3 using 1:5:6:7 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'redis shards=3 shard_by=worker [cluster_nodes=3]'
unset multiplot
set terminal pngcairo size 1548,585 noenhanced
set output 'lab8_cluster-atomic-retries.png'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:1]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab8_cluster / atomic: retries per 1,000 operations\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'keys, log scale'
plot 'lab8_cluster-atomic.dat' index 0 using 1:8:9:10 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'redis shards=1 [cluster_nodes=1]', 'lab8_cluster-atomic.dat' index 1 using 1:8:9:10 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'redis shards=1 [cluster_nodes=3]', 'lab8_cluster-atomic.dat' index 2 using 1:8:9:10 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'redis shards=3 shard_by=worker [cluster_nodes=1]', 'lab8_cluster-atomic.dat' index 3 using 1:8:9:10 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'redis shards=3 shard_by=worker [cluster_nodes=3]'
unset multiplot
set terminal svg size 1548,585 noenhanced
set output 'lab8_cluster-atomic-retries.svg'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:1]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab8_cluster / atomic: retries per 1,000 operations\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'keys, log scale'
plot 'lab8_cluster-atomic.dat' index 0 using 1:8:9:10 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'redis shards=1 [cluster_nodes=1]', 'lab8_cluster-atomic.dat' index 1 using 1:8:9:10 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'redis shards=1 [cluster_nodes=3]', 'lab8_cluster-atomic.dat' index 2 using 1:8:9:10 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'redis shards=3 shard_by=worker [cluster_nodes=1]', 'lab8_cluster-atomic.dat' index 3 using 1:8:9:10 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'redis shards=3 shard_by=worker [cluster_nodes=3]'
unset multiplot
