set datafile missing 'nan'
set grid
set samples 400
set logscale x 2
set xrange [0.714286:11.200000]
set xtics (1, 2, 4, 8)
set terminal pngcairo size 1408,585 noenhanced
set output 'lab3_hot_row-atomic-throughput.png'
set ylabel "goodput, increments/s kept\nlog scale"
set logscale y
set yrange [1122.92:2.6627e+08]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab3_hot_row / atomic: goodput, increments/s kept\none run a point: repeat runs for their spread; thin dashed: USL fit"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'workers, log scale'
plot 'lab3_hot_row-atomic.dat' index 0 using 1:26:27:28 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc keys=1', 1.52218e+08*x/(1+1*(x-1)+0.526245*x*(x-1)) with lines lc rgb '#1f77b4' lw 1 dt 2 title 'fit: inproc keys=1', 'lab3_hot_row-atomic.dat' index 1 using 1:26:27:28 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'inproc keys=1024', 1.125e+08*x/(1+0.440952*(x-1)+0.024964*x*(x-1)) with lines lc rgb '#d62728' lw 1 dt 2 title 'fit: inproc keys=1024', 'lab3_hot_row-atomic.dat' index 2 using 1:26:27:28 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'postgres keys=1', 18567.8*x/(1+0*(x-1)+0.0654826*x*(x-1)) with lines lc rgb '#2ca02c' lw 1 dt 2 title 'fit: postgres keys=1', 'lab3_hot_row-atomic.dat' index 3 using 1:26:27:28 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'postgres keys=1024', 21077*x/(1+0.0575264*(x-1)+0.0336395*x*(x-1)) with lines lc rgb '#9467bd' lw 1 dt 2 title 'fit: postgres keys=1024', 'lab3_hot_row-atomic.dat' index 4 using 1:26:27:28 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'sqlite keys=1 [journal_mode=delete]', 2346.4*x/(1+0.951538*(x-1)+0.0344655*x*(x-1)) with lines lc rgb '#8c564b' lw 1 dt 2 title 'fit: sqlite keys=1 [journal_mode=delete]', 'lab3_hot_row-atomic.dat' index 5 using 1:26:27:28 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite keys=1 [journal_mode=wal]', 117038*x/(1+1*(x-1)+0.136642*x*(x-1)) with lines lc rgb '#e377c2' lw 1 dt 2 title 'fit: sqlite keys=1 [journal_mode=wal]', 'lab3_hot_row-atomic.dat' index 6 using 1:26:27:28 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'sqlite keys=1024 [journal_mode=delete]', 1828.34*x/(1+0.636212*(x-1)+0.0465628*x*(x-1)) with lines lc rgb '#404040' lw 1 dt 2 title 'fit: sqlite keys=1024 [journal_mode=delete]', 'lab3_hot_row-atomic.dat' index 7 using 1:26:27:28 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'sqlite keys=1024 [journal_mode=wal]', 121080*x/(1+1*(x-1)+0.142266*x*(x-1)) with lines lc rgb '#ff7f0e' lw 1 dt 2 title 'fit: sqlite keys=1024 [journal_mode=wal]'
unset multiplot
set terminal svg size 1408,585 noenhanced
set output 'lab3_hot_row-atomic-throughput.svg'
set ylabel "goodput, increments/s kept\nlog scale"
set logscale y
set yrange [1122.92:2.6627e+08]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab3_hot_row / atomic: goodput, increments/s kept\none run a point: repeat runs for their spread; thin dashed: USL fit"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'workers, log scale'
plot 'lab3_hot_row-atomic.dat' index 0 using 1:26:27:28 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc keys=1', 1.52218e+08*x/(1+1*(x-1)+0.526245*x*(x-1)) with lines lc rgb '#1f77b4' lw 1 dt 2 title 'fit: inproc keys=1', 'lab3_hot_row-atomic.dat' index 1 using 1:26:27:28 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'inproc keys=1024', 1.125e+08*x/(1+0.440952*(x-1)+0.024964*x*(x-1)) with lines lc rgb '#d62728' lw 1 dt 2 title 'fit: inproc keys=1024', 'lab3_hot_row-atomic.dat' index 2 using 1:26:27:28 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'postgres keys=1', 18567.8*x/(1+0*(x-1)+0.0654826*x*(x-1)) with lines lc rgb '#2ca02c' lw 1 dt 2 title 'fit: postgres keys=1', 'lab3_hot_row-atomic.dat' index 3 using 1:26:27:28 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'postgres keys=1024', 21077*x/(1+0.0575264*(x-1)+0.0336395*x*(x-1)) with lines lc rgb '#9467bd' lw 1 dt 2 title 'fit: postgres keys=1024', 'lab3_hot_row-atomic.dat' index 4 using 1:26:27:28 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'sqlite keys=1 [journal_mode=delete]', 2346.4*x/(1+0.951538*(x-1)+0.0344655*x*(x-1)) with lines lc rgb '#8c564b' lw 1 dt 2 title 'fit: sqlite keys=1 [journal_mode=delete]', 'lab3_hot_row-atomic.dat' index 5 using 1:26:27:28 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite keys=1 [journal_mode=wal]', 117038*x/(1+1*(x-1)+0.136642*x*(x-1)) with lines lc rgb '#e377c2' lw 1 dt 2 title 'fit: sqlite keys=1 [journal_mode=wal]', 'lab3_hot_row-atomic.dat' index 6 using 1:26:27:28 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'sqlite keys=1024 [journal_mode=delete]', 1828.34*x/(1+0.636212*(x-1)+0.0465628*x*(x-1)) with lines lc rgb '#404040' lw 1 dt 2 title 'fit: sqlite keys=1024 [journal_mode=delete]', 'lab3_hot_row-atomic.dat' index 7 using 1:26:27:28 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'sqlite keys=1024 [journal_mode=wal]', 121080*x/(1+1*(x-1)+0.142266*x*(x-1)) with lines lc rgb '#ff7f0e' lw 1 dt 2 title 'fit: sqlite keys=1024 [journal_mode=wal]'
unset multiplot
set terminal pngcairo size 1400,585 noenhanced
set output 'lab3_hot_row-atomic-p99.png'
set ylabel "p99 service time (us)\nlog scale"
set logscale y
set yrange [0.02:185388]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab3_hot_row / atomic: p99 service time (us)\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'workers, log scale'
plot 'lab3_hot_row-atomic.dat' index 0 using 1:5:6:7 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc keys=1', 'lab3_hot_row-atomic.dat' index 1 using 1:5:6:7 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'inproc keys=1024', 'lab3_hot_row-atomic.dat' index 2 using 1:5:6:7 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'postgres keys=1', 'lab3_hot_row-atomic.dat' index 3 using 1:5:6:7 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'postgres keys=1024', 'lab3_hot_row-atomic.dat' index 4 using 1:5:6:7 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'sqlite keys=1 [journal_mode=delete]', 'lab3_hot_row-atomic.dat' index 5 using 1:5:6:7 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite keys=1 [journal_mode=wal]', 'lab3_hot_row-atomic.dat' index 6 using 1:5:6:7 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'sqlite keys=1024 [journal_mode=delete]', 'lab3_hot_row-atomic.dat' index 7 using 1:5:6:7 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'sqlite keys=1024 [journal_mode=wal]'
unset multiplot
set terminal svg size 1400,585 noenhanced
set output 'lab3_hot_row-atomic-p99.svg'
set ylabel "p99 service time (us)\nlog scale"
set logscale y
set yrange [0.02:185388]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab3_hot_row / atomic: p99 service time (us)\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'workers, log scale'
plot 'lab3_hot_row-atomic.dat' index 0 using 1:5:6:7 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc keys=1', 'lab3_hot_row-atomic.dat' index 1 using 1:5:6:7 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'inproc keys=1024', 'lab3_hot_row-atomic.dat' index 2 using 1:5:6:7 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'postgres keys=1', 'lab3_hot_row-atomic.dat' index 3 using 1:5:6:7 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'postgres keys=1024', 'lab3_hot_row-atomic.dat' index 4 using 1:5:6:7 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'sqlite keys=1 [journal_mode=delete]', 'lab3_hot_row-atomic.dat' index 5 using 1:5:6:7 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite keys=1 [journal_mode=wal]', 'lab3_hot_row-atomic.dat' index 6 using 1:5:6:7 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'sqlite keys=1024 [journal_mode=delete]', 'lab3_hot_row-atomic.dat' index 7 using 1:5:6:7 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'sqlite keys=1024 [journal_mode=wal]'
unset multiplot
set terminal pngcairo size 1400,585 noenhanced
set output 'lab3_hot_row-atomic-retries.png'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:4258.71]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab3_hot_row / atomic: retries per 1,000 operations\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'workers, log scale'
plot 'lab3_hot_row-atomic.dat' index 0 using 1:8:9:10 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc keys=1', 'lab3_hot_row-atomic.dat' index 1 using 1:8:9:10 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'inproc keys=1024', 'lab3_hot_row-atomic.dat' index 2 using 1:8:9:10 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'postgres keys=1', 'lab3_hot_row-atomic.dat' index 3 using 1:8:9:10 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'postgres keys=1024', 'lab3_hot_row-atomic.dat' index 4 using 1:8:9:10 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'sqlite keys=1 [journal_mode=delete]', 'lab3_hot_row-atomic.dat' index 5 using 1:8:9:10 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite keys=1 [journal_mode=wal]', 'lab3_hot_row-atomic.dat' index 6 using 1:8:9:10 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'sqlite keys=1024 [journal_mode=delete]', 'lab3_hot_row-atomic.dat' index 7 using 1:8:9:10 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'sqlite keys=1024 [journal_mode=wal]'
unset multiplot
set terminal svg size 1400,585 noenhanced
set output 'lab3_hot_row-atomic-retries.svg'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:4258.71]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab3_hot_row / atomic: retries per 1,000 operations\none run a point: repeat runs for their spread"
unset arrow
unset label
set tmargin at screen 0.8803
set bmargin at screen 0.1282
set key at screen 0.660, screen 0.8803 left top Left reverse samplen 2
set title ''
set xlabel 'workers, log scale'
plot 'lab3_hot_row-atomic.dat' index 0 using 1:8:9:10 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc keys=1', 'lab3_hot_row-atomic.dat' index 1 using 1:8:9:10 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'inproc keys=1024', 'lab3_hot_row-atomic.dat' index 2 using 1:8:9:10 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'postgres keys=1', 'lab3_hot_row-atomic.dat' index 3 using 1:8:9:10 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'postgres keys=1024', 'lab3_hot_row-atomic.dat' index 4 using 1:8:9:10 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'sqlite keys=1 [journal_mode=delete]', 'lab3_hot_row-atomic.dat' index 5 using 1:8:9:10 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite keys=1 [journal_mode=wal]', 'lab3_hot_row-atomic.dat' index 6 using 1:8:9:10 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'sqlite keys=1024 [journal_mode=delete]', 'lab3_hot_row-atomic.dat' index 7 using 1:8:9:10 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'sqlite keys=1024 [journal_mode=wal]'
unset multiplot
