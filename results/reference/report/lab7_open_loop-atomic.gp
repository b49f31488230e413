set datafile missing 'nan'
set grid
set samples 400
unset logscale x
set xrange [47.000000:113.000000]
set xtics (50, 80, 95, 110)
set terminal pngcairo size 1400,585 noenhanced
set output 'lab7_open_loop-atomic-throughput.png'
set ylabel 'goodput, increments/s kept'
unset logscale y
set yrange [0:18389.7]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab7_open_loop / atomic: goodput, increments/s kept\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'rate (% of closed-loop capacity)'
plot 'lab7_open_loop-atomic.dat' index 0 using 1:26:27:28 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'redis'
unset multiplot
set terminal svg size 1400,585 noenhanced
set output 'lab7_open_loop-atomic-throughput.svg'
set ylabel 'goodput, increments/s kept'
unset logscale y
set yrange [0:18389.7]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab7_open_loop / atomic: goodput, increments/s kept\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'rate (% of closed-loop capacity)'
plot 'lab7_open_loop-atomic.dat' index 0 using 1:26:27:28 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'redis'
unset multiplot
set terminal pngcairo size 1400,585 noenhanced
set output 'lab7_open_loop-atomic-p99.png'
set ylabel 'p99 service time (us)'
unset logscale y
set yrange [0:110.949]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab7_open_loop / atomic: p99 service time (us)\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'rate (% of closed-loop capacity)'
plot 'lab7_open_loop-atomic.dat' index 0 using 1:5:6:7 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'redis'
unset multiplot
set terminal svg size 1400,585 noenhanced
set output 'lab7_open_loop-atomic-p99.svg'
set ylabel 'p99 service time (us)'
unset logscale y
set yrange [0:110.949]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab7_open_loop / atomic: p99 service time (us)\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'rate (% of closed-loop capacity)'
plot 'lab7_open_loop-atomic.dat' index 0 using 1:5:6:7 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'redis'
unset multiplot
set terminal pngcairo size 1400,585 noenhanced
set output 'lab7_open_loop-atomic-retries.png'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:1]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab7_open_loop / atomic: retries per 1,000 operations\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'rate (% of closed-loop capacity)'
plot 'lab7_open_loop-atomic.dat' index 0 using 1:8:9:10 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'redis'
unset multiplot
set terminal svg size 1400,585 noenhanced
set output 'lab7_open_loop-atomic-retries.svg'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:1]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab7_open_loop / atomic: retries per 1,000 operations\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'rate (% of closed-loop capacity)'
plot 'lab7_open_loop-atomic.dat' index 0 using 1:8:9:10 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'redis'
unset multiplot
set terminal pngcairo size 1400,585 noenhanced
set output 'lab7_open_loop-atomic-response.png'
set ylabel "response and service time (us)\nlog scale"
set logscale y
set yrange [5.87937:163578]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab7_open_loop / atomic: response and service time (us)\none run a point: repeat runs for their spread; vertical: the closed-loop capacity"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'offered rate (% of closed-loop capacity)'
set arrow from first 100, graph 0 to first 100, graph 1 nohead lc rgb '#000000' lw 1 dt 4 front
set label 'capacity (closed loop)' at first 100, graph 0.96 left offset 0.5,0 tc rgb '#000000' front
plot 'lab7_open_loop-atomic.dat' index 0 using 1:17:18:19 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'redis: response p99', 'lab7_open_loop-atomic.dat' index 0 using 1:14 with lines lc rgb '#1f77b4' lw 2 dt 2 title 'redis: response p50', 'lab7_open_loop-atomic.dat' index 0 using 1:5:6:7 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 3 title 'redis: service p99'
unset multiplot
set terminal svg size 1400,585 noenhanced
set output 'lab7_open_loop-atomic-response.svg'
set ylabel "response and service time (us)\nlog scale"
set logscale y
set yrange [5.87937:163578]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab7_open_loop / atomic: response and service time (us)\none run a point: repeat runs for their spread; vertical: the closed-loop capacity"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'offered rate (% of closed-loop capacity)'
set arrow from first 100, graph 0 to first 100, graph 1 nohead lc rgb '#000000' lw 1 dt 4 front
set label 'capacity (closed loop)' at first 100, graph 0.96 left offset 0.5,0 tc rgb '#000000' front
plot 'lab7_open_loop-atomic.dat' index 0 using 1:17:18:19 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'redis: response p99', 'lab7_open_loop-atomic.dat' index 0 using 1:14 with lines lc rgb '#1f77b4' lw 2 dt 2 title 'redis: response p50', 'lab7_open_loop-atomic.dat' index 0 using 1:5:6:7 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 3 title 'redis: service p99'
unset multiplot
set terminal pngcairo size 1400,585 noenhanced
set output 'lab7_open_loop-atomic-achieved.png'
set ylabel 'achieved and offered rate (/s)'
unset logscale y
set yrange [0:19351.2]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab7_open_loop / atomic: achieved and offered rate (/s)\none run a point: repeat runs for their spread; vertical: the closed-loop capacity"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'offered rate (% of closed-loop capacity)'
set arrow from first 100, graph 0 to first 100, graph 1 nohead lc rgb '#000000' lw 1 dt 4 front
set label 'capacity (closed loop)' at first 100, graph 0.96 left offset 0.5,0 tc rgb '#000000' front
plot 'lab7_open_loop-atomic.dat' index 0 using 1:20:21:22 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'redis: achieved', 'lab7_open_loop-atomic.dat' index 0 using 1:23 with lines lc rgb '#1f77b4' lw 2 dt 2 title 'redis: offered'
unset multiplot
set terminal svg size 1400,585 noenhanced
set output 'lab7_open_loop-atomic-achieved.svg'
set ylabel 'achieved and offered rate (/s)'
unset logscale y
set yrange [0:19351.2]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab7_open_loop / atomic: achieved and offered rate (/s)\none run a point: repeat runs for their spread; vertical: the closed-loop capacity"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'offered rate (% of closed-loop capacity)'
set arrow from first 100, graph 0 to first 100, graph 1 nohead lc rgb '#000000' lw 1 dt 4 front
set label 'capacity (closed loop)' at first 100, graph 0.96 left offset 0.5,0 tc rgb '#000000' front
plot 'lab7_open_loop-atomic.dat' index 0 using 1:20:21:22 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'redis: achieved', 'lab7_open_loop-atomic.dat' index 0 using 1:23 with lines lc rgb '#1f77b4' lw 2 dt 2 title 'redis: offered'
unset multiplot
