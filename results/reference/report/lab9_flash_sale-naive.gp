set datafile missing 'nan'
set grid
set samples 400
unset logscale x
set xrange [-1.000000:21.000000]
set xtics (0, 20)
set terminal pngcairo size 1400,585 noenhanced
set output 'lab9_flash_sale-naive-throughput.png'
set ylabel 'goodput, increments/s kept'
unset logscale y
set yrange [0:19731.1]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab9_flash_sale / naive: goodput, increments/s kept\none run a point: repeat runs for their spread; dotted: increments acknowledged, the gap was lost"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'hold (us)'
set label '30% lost' at first 20, first 3328.54 center tc rgb '#d62728' front offset 0,-1
set label '33% lost' at first 0, first 3349.49 center tc rgb '#9467bd' front offset 0,-1
set label '42% lost' at first 20, first 3328.51 center tc rgb '#8c564b' front offset 0,1
set label '39% lost' at first 0, first 3326.2 center tc rgb '#e377c2' front offset 0,1
plot 'lab9_flash_sale-naive.dat' index 0 using 1:26:27:28 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc', 'lab9_flash_sale-naive.dat' index 0 using 1:2 with linespoints lc rgb '#1f77b4' lw 1 dt 3 pt 6 title 'inproc: acknowledged', 'lab9_flash_sale-naive.dat' index 1 using 1:26:27:28 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'manager', 'lab9_flash_sale-naive.dat' index 1 using 1:2 with linespoints lc rgb '#d62728' lw 1 dt 3 pt 6 title 'manager: acknowledged', 'lab9_flash_sale-naive.dat' index 2 using 1:26:27:28 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'postgres', 'lab9_flash_sale-naive.dat' index 2 using 1:2 with linespoints lc rgb '#2ca02c' lw 1 dt 3 pt 6 title 'postgres: acknowledged', 'lab9_flash_sale-naive.dat' index 3 using 1:26:27:28 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'redis', 'lab9_flash_sale-naive.dat' index 3 using 1:2 with linespoints lc rgb '#9467bd' lw 1 dt 3 pt 6 title 'redis: acknowledged', 'lab9_flash_sale-naive.dat' index 4 using 1:26:27:28 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'shm', 'lab9_flash_sale-naive.dat' index 4 using 1:2 with linespoints lc rgb '#8c564b' lw 1 dt 3 pt 6 title 'shm: acknowledged', 'lab9_flash_sale-naive.dat' index 5 using 1:26:27:28 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite', 'lab9_flash_sale-naive.dat' index 5 using 1:2 with linespoints lc rgb '#e377c2' lw 1 dt 3 pt 6 title 'sqlite: acknowledged'
unset multiplot
set terminal svg size 1400,585 noenhanced
set output 'lab9_flash_sale-naive-throughput.svg'
set ylabel 'goodput, increments/s kept'
unset logscale y
set yrange [0:19731.1]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab9_flash_sale / naive: goodput, increments/s kept\none run a point: repeat runs for their spread; dotted: increments acknowledged, the gap was lost"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'hold (us)'
set label '30% lost' at first 20, first 3328.54 center tc rgb '#d62728' front offset 0,-1
set label '33% lost' at first 0, first 3349.49 center tc rgb '#9467bd' front offset 0,-1
set label '42% lost' at first 20, first 3328.51 center tc rgb '#8c564b' front offset 0,1
set label '39% lost' at first 0, first 3326.2 center tc rgb '#e377c2' front offset 0,1
plot 'lab9_flash_sale-naive.dat' index 0 using 1:26:27:28 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc', 'lab9_flash_sale-naive.dat' index 0 using 1:2 with linespoints lc rgb '#1f77b4' lw 1 dt 3 pt 6 title 'inproc: acknowledged', 'lab9_flash_sale-naive.dat' index 1 using 1:26:27:28 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'manager', 'lab9_flash_sale-naive.dat' index 1 using 1:2 with linespoints lc rgb '#d62728' lw 1 dt 3 pt 6 title 'manager: acknowledged', 'lab9_flash_sale-naive.dat' index 2 using 1:26:27:28 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'postgres', 'lab9_flash_sale-naive.dat' index 2 using 1:2 with linespoints lc rgb '#2ca02c' lw 1 dt 3 pt 6 title 'postgres: acknowledged', 'lab9_flash_sale-naive.dat' index 3 using 1:26:27:28 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'redis', 'lab9_flash_sale-naive.dat' index 3 using 1:2 with linespoints lc rgb '#9467bd' lw 1 dt 3 pt 6 title 'redis: acknowledged', 'lab9_flash_sale-naive.dat' index 4 using 1:26:27:28 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'shm', 'lab9_flash_sale-naive.dat' index 4 using 1:2 with linespoints lc rgb '#8c564b' lw 1 dt 3 pt 6 title 'shm: acknowledged', 'lab9_flash_sale-naive.dat' index 5 using 1:26:27:28 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite', 'lab9_flash_sale-naive.dat' index 5 using 1:2 with linespoints lc rgb '#e377c2' lw 1 dt 3 pt 6 title 'sqlite: acknowledged'
unset multiplot
set terminal pngcairo size 1400,585 noenhanced
set output 'lab9_flash_sale-naive-p99.png'
set ylabel "p99 service time (us)\nlog scale"
set logscale y
set yrange [0.0175:1199.31]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab9_flash_sale / naive: p99 service time (us)\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'hold (us)'
plot 'lab9_flash_sale-naive.dat' index 0 using 1:5:6:7 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc', 'lab9_flash_sale-naive.dat' index 1 using 1:5:6:7 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'manager', 'lab9_flash_sale-naive.dat' index 2 using 1:5:6:7 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'postgres', 'lab9_flash_sale-naive.dat' index 3 using 1:5:6:7 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'redis', 'lab9_flash_sale-naive.dat' index 4 using 1:5:6:7 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'shm', 'lab9_flash_sale-naive.dat' index 5 using 1:5:6:7 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite'
unset multiplot
set terminal svg size 1400,585 noenhanced
set output 'lab9_flash_sale-naive-p99.svg'
set ylabel "p99 service time (us)\nlog scale"
set logscale y
set yrange [0.0175:1199.31]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab9_flash_sale / naive: p99 service time (us)\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'hold (us)'
plot 'lab9_flash_sale-naive.dat' index 0 using 1:5:6:7 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc', 'lab9_flash_sale-naive.dat' index 1 using 1:5:6:7 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'manager', 'lab9_flash_sale-naive.dat' index 2 using 1:5:6:7 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'postgres', 'lab9_flash_sale-naive.dat' index 3 using 1:5:6:7 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'redis', 'lab9_flash_sale-naive.dat' index 4 using 1:5:6:7 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'shm', 'lab9_flash_sale-naive.dat' index 5 using 1:5:6:7 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite'
unset multiplot
set terminal pngcairo size 1400,585 noenhanced
set output 'lab9_flash_sale-naive-retries.png'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:36.5587]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab9_flash_sale / naive: retries per 1,000 operations\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'hold (us)'
plot 'lab9_flash_sale-naive.dat' index 0 using 1:8:9:10 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc', 'lab9_flash_sale-naive.dat' index 1 using 1:8:9:10 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'manager', 'lab9_flash_sale-naive.dat' index 2 using 1:8:9:10 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'postgres', 'lab9_flash_sale-naive.dat' index 3 using 1:8:9:10 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'redis', 'lab9_flash_sale-naive.dat' index 4 using 1:8:9:10 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'shm', 'lab9_flash_sale-naive.dat' index 5 using 1:8:9:10 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite'
unset multiplot
set terminal svg size 1400,585 noenhanced
set output 'lab9_flash_sale-naive-retries.svg'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:36.5587]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab9_flash_sale / naive: retries per 1,000 operations\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'hold (us)'
plot 'lab9_flash_sale-naive.dat' index 0 using 1:8:9:10 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc', 'lab9_flash_sale-naive.dat' index 1 using 1:8:9:10 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'manager', 'lab9_flash_sale-naive.dat' index 2 using 1:8:9:10 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'postgres', 'lab9_flash_sale-naive.dat' index 3 using 1:8:9:10 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'redis', 'lab9_flash_sale-naive.dat' index 4 using 1:8:9:10 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'shm', 'lab9_flash_sale-naive.dat' index 5 using 1:8:9:10 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite'
unset multiplot
