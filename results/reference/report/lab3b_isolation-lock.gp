set datafile missing 'nan'
set grid
set samples 400
unset logscale x
set xrange [0.850000:4.150000]
set xtics (1, 2, 4)
set terminal pngcairo size 1400,585 noenhanced
set output 'lab3b_isolation-lock-throughput.png'
set ylabel 'goodput, increments/s kept'
unset logscale y
set yrange [0:12957.4]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab3b_isolation / lock: goodput, increments/s kept\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'workers'
plot 'lab3b_isolation-lock.dat' index 0 using 1:26:27:28 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'postgres [isolation=read_committed]', 'lab3b_isolation-lock.dat' index 1 using 1:26:27:28 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'postgres [isolation=repeatable_read]', 'lab3b_isolation-lock.dat' index 2 using 1:26:27:28 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'postgres [isolation=serializable]'
unset multiplot
set terminal svg size 1400,585 noenhanced
set output 'lab3b_isolation-lock-throughput.svg'
set ylabel 'goodput, increments/s kept'
unset logscale y
set yrange [0:12957.4]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab3b_isolation / lock: goodput, increments/s kept\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'workers'
plot 'lab3b_isolation-lock.dat' index 0 using 1:26:27:28 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'postgres [isolation=read_committed]', 'lab3b_isolation-lock.dat' index 1 using 1:26:27:28 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'postgres [isolation=repeatable_read]', 'lab3b_isolation-lock.dat' index 2 using 1:26:27:28 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'postgres [isolation=serializable]'
unset multiplot
set terminal pngcairo size 1400,585 noenhanced
set output 'lab3b_isolation-lock-p99.png'
set ylabel 'p99 service time (us)'
unset logscale y
set yrange [0:7245]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab3b_isolation / lock: p99 service time (us)\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'workers'
plot 'lab3b_isolation-lock.dat' index 0 using 1:5:6:7 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'postgres [isolation=read_committed]', 'lab3b_isolation-lock.dat' index 1 using 1:5:6:7 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'postgres [isolation=repeatable_read]', 'lab3b_isolation-lock.dat' index 2 using 1:5:6:7 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'postgres [isolation=serializable]'
unset multiplot
set terminal svg size 1400,585 noenhanced
set output 'lab3b_isolation-lock-p99.svg'
set ylabel 'p99 service time (us)'
unset logscale y
set yrange [0:7245]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab3b_isolation / lock: p99 service time (us)\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'workers'
plot 'lab3b_isolation-lock.dat' index 0 using 1:5:6:7 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'postgres [isolation=read_committed]', 'lab3b_isolation-lock.dat' index 1 using 1:5:6:7 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'postgres [isolation=repeatable_read]', 'lab3b_isolation-lock.dat' index 2 using 1:5:6:7 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'postgres [isolation=serializable]'
unset multiplot
set terminal pngcairo size 1400,585 noenhanced
set output 'lab3b_isolation-lock-retries.png'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:2019.23]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab3b_isolation / lock: retries per 1,000 operations\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'workers'
plot 'lab3b_isolation-lock.dat' index 0 using 1:8:9:10 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'postgres [isolation=read_committed]', 'lab3b_isolation-lock.dat' index 1 using 1:8:9:10 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'postgres [isolation=repeatable_read]', 'lab3b_isolation-lock.dat' index 2 using 1:8:9:10 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'postgres [isolation=serializable]'
unset multiplot
set terminal svg size 1400,585 noenhanced
set output 'lab3b_isolation-lock-retries.svg'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:2019.23]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab3b_isolation / lock: retries per 1,000 operations\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'workers'
plot 'lab3b_isolation-lock.dat' index 0 using 1:8:9:10 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'postgres [isolation=read_committed]', 'lab3b_isolation-lock.dat' index 1 using 1:8:9:10 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'postgres [isolation=repeatable_read]', 'lab3b_isolation-lock.dat' index 2 using 1:8:9:10 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'postgres [isolation=serializable]'
unset multiplot
