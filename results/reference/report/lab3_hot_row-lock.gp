set datafile missing 'nan'
set grid
set samples 400
set logscale x 2
set xrange [0.714286:11.200000]
set xtics (1, 2, 4, 8)
set terminal pngcairo size 1715,925 noenhanced
set output 'lab3_hot_row-lock-throughput.png'
set ylabel "goodput, increments/s kept\nlog scale"
set logscale y
set yrange [896.761:1.1007e+08]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab3_hot_row / lock: goodput, increments/s kept\none run a point: repeat runs for their spread; thin dashed: USL fit; the panels share their axes"
unset arrow
unset label
set tmargin at screen 0.8973
set bmargin at screen 0.5514
set key at screen 0.660, screen 0.8973 left top Left reverse samplen 2
set title 'inproc, postgres'
set xlabel ''
plot 'lab3_hot_row-lock.dat' index 0 using 1:26:27:28 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc hold=0us keys=1', 4.80373e+07*x/(1+1*(x-1)+2.00983*x*(x-1)) with lines lc rgb '#1f77b4' lw 1 dt 2 title 'fit: inproc hold=0us keys=1', 'lab3_hot_row-lock.dat' index 1 using 1:26:27:28 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'inproc hold=0us keys=1024', 4.96002e+07*x/(1+0.524972*(x-1)+0.0259422*x*(x-1)) with lines lc rgb '#d62728' lw 1 dt 2 title 'fit: inproc hold=0us keys=1024', 'lab3_hot_row-lock.dat' index 2 using 1:26:27:28 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'inproc hold=100us keys=1', 9221.25*x/(1+0.973538*(x-1)+0*x*(x-1)) with lines lc rgb '#2ca02c' lw 1 dt 2 title 'fit: inproc hold=100us keys=1', 'lab3_hot_row-lock.dat' index 3 using 1:26:27:28 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'inproc hold=100us keys=1024', 11471.1*x/(1+0.242766*(x-1)+0.0364269*x*(x-1)) with lines lc rgb '#9467bd' lw 1 dt 2 title 'fit: inproc hold=100us keys=1024', 'lab3_hot_row-lock.dat' index 4 using 1:26:27:28 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'postgres hold=0us keys=1', 6665.07*x/(1+0*(x-1)+0.177196*x*(x-1)) with lines lc rgb '#8c564b' lw 1 dt 2 title 'fit: postgres hold=0us keys=1', 'lab3_hot_row-lock.dat' index 5 using 1:26:27:28 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'postgres hold=0us keys=1024', 10334.2*x/(1+0.0371021*(x-1)+0.0475027*x*(x-1)) with lines lc rgb '#e377c2' lw 1 dt 2 title 'fit: postgres hold=0us keys=1024', 'lab3_hot_row-lock.dat' index 6 using 1:26:27:28 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'postgres hold=100us keys=1', 2565.47*x/(1+0.523582*(x-1)+0.0194485*x*(x-1)) with lines lc rgb '#404040' lw 1 dt 2 title 'fit: postgres hold=100us keys=1', 'lab3_hot_row-lock.dat' index 7 using 1:26:27:28 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'postgres hold=100us keys=1024', 5031.32*x/(1+0*(x-1)+0.058923*x*(x-1)) with lines lc rgb '#ff7f0e' lw 1 dt 2 title 'fit: postgres hold=100us keys=1024'
unset arrow
unset label
set tmargin at screen 0.4270
set bmargin at screen 0.0811
set key at screen 0.660, screen 0.4270 left top Left reverse samplen 2
set title 'sqlite'
set xlabel 'workers, log scale'
plot 'lab3_hot_row-lock.dat' index 8 using 1:26:27:28 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'sqlite hold=0us keys=1 [journal_mode=delete]', 2335.54*x/(1+1*(x-1)+0.0116855*x*(x-1)) with lines lc rgb '#1f77b4' lw 1 dt 2 title 'fit: sqlite hold=0us keys=1 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 9 using 1:26:27:28 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'sqlite hold=0us keys=1 [journal_mode=wal]', 97573*x/(1+1*(x-1)+0.119569*x*(x-1)) with lines lc rgb '#d62728' lw 1 dt 2 title 'fit: sqlite hold=0us keys=1 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 10 using 1:26:27:28 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'sqlite hold=0us keys=1024 [journal_mode=delete]', 2190.05*x/(1+0.87697*(x-1)+0.0252671*x*(x-1)) with lines lc rgb '#2ca02c' lw 1 dt 2 title 'fit: sqlite hold=0us keys=1024 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 11 using 1:26:27:28 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'sqlite hold=0us keys=1024 [journal_mode=wal]', 107967*x/(1+1*(x-1)+0.141552*x*(x-1)) with lines lc rgb '#9467bd' lw 1 dt 2 title 'fit: sqlite hold=0us keys=1024 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 12 using 1:26:27:28 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'sqlite hold=100us keys=1 [journal_mode=delete]', 1664.21*x/(1+1*(x-1)+0.00683593*x*(x-1)) with lines lc rgb '#8c564b' lw 1 dt 2 title 'fit: sqlite hold=100us keys=1 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 13 using 1:26:27:28 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite hold=100us keys=1 [journal_mode=wal]', 8546.59*x/(1+1*(x-1)+0.00418072*x*(x-1)) with lines lc rgb '#e377c2' lw 1 dt 2 title 'fit: sqlite hold=100us keys=1 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 14 using 1:26:27:28 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'sqlite hold=100us keys=1024 [journal_mode=delete]', 1792.05*x/(1+1*(x-1)+0.0204652*x*(x-1)) with lines lc rgb '#404040' lw 1 dt 2 title 'fit: sqlite hold=100us keys=1024 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 15 using 1:26:27:28 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'sqlite hold=100us keys=1024 [journal_mode=wal]', 8453.03*x/(1+1*(x-1)+0*x*(x-1)) with lines lc rgb '#ff7f0e' lw 1 dt 2 title 'fit: sqlite hold=100us keys=1024 [journal_mode=wal]'
unset multiplot
set terminal svg size 1715,925 noenhanced
set output 'lab3_hot_row-lock-throughput.svg'
set ylabel "goodput, increments/s kept\nlog scale"
set logscale y
set yrange [896.761:1.1007e+08]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab3_hot_row / lock: goodput, increments/s kept\none run a point: repeat runs for their spread; thin dashed: USL fit; the panels share their axes"
unset arrow
unset label
set tmargin at screen 0.8973
set bmargin at screen 0.5514
set key at screen 0.660, screen 0.8973 left top Left reverse samplen 2
set title 'inproc, postgres'
set xlabel ''
plot 'lab3_hot_row-lock.dat' index 0 using 1:26:27:28 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc hold=0us keys=1', 4.80373e+07*x/(1+1*(x-1)+2.00983*x*(x-1)) with lines lc rgb '#1f77b4' lw 1 dt 2 title 'fit: inproc hold=0us keys=1', 'lab3_hot_row-lock.dat' index 1 using 1:26:27:28 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'inproc hold=0us keys=1024', 4.96002e+07*x/(1+0.524972*(x-1)+0.0259422*x*(x-1)) with lines lc rgb '#d62728' lw 1 dt 2 title 'fit: inproc hold=0us keys=1024', 'lab3_hot_row-lock.dat' index 2 using 1:26:27:28 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'inproc hold=100us keys=1', 9221.25*x/(1+0.973538*(x-1)+0*x*(x-1)) with lines lc rgb '#2ca02c' lw 1 dt 2 title 'fit: inproc hold=100us keys=1', 'lab3_hot_row-lock.dat' index 3 using 1:26:27:28 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'inproc hold=100us keys=1024', 11471.1*x/(1+0.242766*(x-1)+0.0364269*x*(x-1)) with lines lc rgb '#9467bd' lw 1 dt 2 title 'fit: inproc hold=100us keys=1024', 'lab3_hot_row-lock.dat' index 4 using 1:26:27:28 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'postgres hold=0us keys=1', 6665.07*x/(1+0*(x-1)+0.177196*x*(x-1)) with lines lc rgb '#8c564b' lw 1 dt 2 title 'fit: postgres hold=0us keys=1', 'lab3_hot_row-lock.dat' index 5 using 1:26:27:28 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'postgres hold=0us keys=1024', 10334.2*x/(1+0.0371021*(x-1)+0.0475027*x*(x-1)) with lines lc rgb '#e377c2' lw 1 dt 2 title 'fit: postgres hold=0us keys=1024', 'lab3_hot_row-lock.dat' index 6 using 1:26:27:28 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'postgres hold=100us keys=1', 2565.47*x/(1+0.523582*(x-1)+0.0194485*x*(x-1)) with lines lc rgb '#404040' lw 1 dt 2 title 'fit: postgres hold=100us keys=1', 'lab3_hot_row-lock.dat' index 7 using 1:26:27:28 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'postgres hold=100us keys=1024', 5031.32*x/(1+0*(x-1)+0.058923*x*(x-1)) with lines lc rgb '#ff7f0e' lw 1 dt 2 title 'fit: postgres hold=100us keys=1024'
unset arrow
unset label
set tmargin at screen 0.4270
set bmargin at screen 0.0811
set key at screen 0.660, screen 0.4270 left top Left reverse samplen 2
set title 'sqlite'
set xlabel 'workers, log scale'
plot 'lab3_hot_row-lock.dat' index 8 using 1:26:27:28 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'sqlite hold=0us keys=1 [journal_mode=delete]', 2335.54*x/(1+1*(x-1)+0.0116855*x*(x-1)) with lines lc rgb '#1f77b4' lw 1 dt 2 title 'fit: sqlite hold=0us keys=1 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 9 using 1:26:27:28 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'sqlite hold=0us keys=1 [journal_mode=wal]', 97573*x/(1+1*(x-1)+0.119569*x*(x-1)) with lines lc rgb '#d62728' lw 1 dt 2 title 'fit: sqlite hold=0us keys=1 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 10 using 1:26:27:28 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'sqlite hold=0us keys=1024 [journal_mode=delete]', 2190.05*x/(1+0.87697*(x-1)+0.0252671*x*(x-1)) with lines lc rgb '#2ca02c' lw 1 dt 2 title 'fit: sqlite hold=0us keys=1024 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 11 using 1:26:27:28 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'sqlite hold=0us keys=1024 [journal_mode=wal]', 107967*x/(1+1*(x-1)+0.141552*x*(x-1)) with lines lc rgb '#9467bd' lw 1 dt 2 title 'fit: sqlite hold=0us keys=1024 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 12 using 1:26:27:28 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'sqlite hold=100us keys=1 [journal_mode=delete]', 1664.21*x/(1+1*(x-1)+0.00683593*x*(x-1)) with lines lc rgb '#8c564b' lw 1 dt 2 title 'fit: sqlite hold=100us keys=1 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 13 using 1:26:27:28 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite hold=100us keys=1 [journal_mode=wal]', 8546.59*x/(1+1*(x-1)+0.00418072*x*(x-1)) with lines lc rgb '#e377c2' lw 1 dt 2 title 'fit: sqlite hold=100us keys=1 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 14 using 1:26:27:28 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'sqlite hold=100us keys=1024 [journal_mode=delete]', 1792.05*x/(1+1*(x-1)+0.0204652*x*(x-1)) with lines lc rgb '#404040' lw 1 dt 2 title 'fit: sqlite hold=100us keys=1024 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 15 using 1:26:27:28 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'sqlite hold=100us keys=1024 [journal_mode=wal]', 8453.03*x/(1+1*(x-1)+0*x*(x-1)) with lines lc rgb '#ff7f0e' lw 1 dt 2 title 'fit: sqlite hold=100us keys=1024 [journal_mode=wal]'
unset multiplot
set terminal pngcairo size 1576,925 noenhanced
set output 'lab3_hot_row-lock-p99.png'
set ylabel "p99 service time (us)\nlog scale"
set logscale y
set yrange [0.036875:300312]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab3_hot_row / lock: p99 service time (us)\none run a point: repeat runs for their spread; the panels share their axes"
unset arrow
unset label
set tmargin at screen 0.8973
set bmargin at screen 0.5514
set key at screen 0.660, screen 0.8973 left top Left reverse samplen 2
set title 'inproc, postgres'
set xlabel ''
plot 'lab3_hot_row-lock.dat' index 0 using 1:5:6:7 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc hold=0us keys=1', 'lab3_hot_row-lock.dat' index 1 using 1:5:6:7 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'inproc hold=0us keys=1024', 'lab3_hot_row-lock.dat' index 2 using 1:5:6:7 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'inproc hold=100us keys=1', 'lab3_hot_row-lock.dat' index 3 using 1:5:6:7 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'inproc hold=100us keys=1024', 'lab3_hot_row-lock.dat' index 4 using 1:5:6:7 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'postgres hold=0us keys=1', 'lab3_hot_row-lock.dat' index 5 using 1:5:6:7 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'postgres hold=0us keys=1024', 'lab3_hot_row-lock.dat' index 6 using 1:5:6:7 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'postgres hold=100us keys=1', 'lab3_hot_row-lock.dat' index 7 using 1:5:6:7 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'postgres hold=100us keys=1024'
unset arrow
unset label
set tmargin at screen 0.4270
set bmargin at screen 0.0811
set key at screen 0.660, screen 0.4270 left top Left reverse samplen 2
set title 'sqlite'
set xlabel 'workers, log scale'
plot 'lab3_hot_row-lock.dat' index 8 using 1:5:6:7 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'sqlite hold=0us keys=1 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 9 using 1:5:6:7 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'sqlite hold=0us keys=1 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 10 using 1:5:6:7 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'sqlite hold=0us keys=1024 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 11 using 1:5:6:7 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'sqlite hold=0us keys=1024 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 12 using 1:5:6:7 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'sqlite hold=100us keys=1 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 13 using 1:5:6:7 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite hold=100us keys=1 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 14 using 1:5:6:7 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'sqlite hold=100us keys=1024 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 15 using 1:5:6:7 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'sqlite hold=100us keys=1024 [journal_mode=wal]'
unset multiplot
set terminal svg size 1576,925 noenhanced
set output 'lab3_hot_row-lock-p99.svg'
set ylabel "p99 service time (us)\nlog scale"
set logscale y
set yrange [0.036875:300312]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab3_hot_row / lock: p99 service time (us)\none run a point: repeat runs for their spread; the panels share their axes"
unset arrow
unset label
set tmargin at screen 0.8973
set bmargin at screen 0.5514
set key at screen 0.660, screen 0.8973 left top Left reverse samplen 2
set title 'inproc, postgres'
set xlabel ''
plot 'lab3_hot_row-lock.dat' index 0 using 1:5:6:7 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc hold=0us keys=1', 'lab3_hot_row-lock.dat' index 1 using 1:5:6:7 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'inproc hold=0us keys=1024', 'lab3_hot_row-lock.dat' index 2 using 1:5:6:7 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'inproc hold=100us keys=1', 'lab3_hot_row-lock.dat' index 3 using 1:5:6:7 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'inproc hold=100us keys=1024', 'lab3_hot_row-lock.dat' index 4 using 1:5:6:7 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'postgres hold=0us keys=1', 'lab3_hot_row-lock.dat' index 5 using 1:5:6:7 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'postgres hold=0us keys=1024', 'lab3_hot_row-lock.dat' index 6 using 1:5:6:7 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'postgres hold=100us keys=1', 'lab3_hot_row-lock.dat' index 7 using 1:5:6:7 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'postgres hold=100us keys=1024'
unset arrow
unset label
set tmargin at screen 0.4270
set bmargin at screen 0.0811
set key at screen 0.660, screen 0.4270 left top Left reverse samplen 2
set title 'sqlite'
set xlabel 'workers, log scale'
plot 'lab3_hot_row-lock.dat' index 8 using 1:5:6:7 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'sqlite hold=0us keys=1 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 9 using 1:5:6:7 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'sqlite hold=0us keys=1 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 10 using 1:5:6:7 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'sqlite hold=0us keys=1024 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 11 using 1:5:6:7 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'sqlite hold=0us keys=1024 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 12 using 1:5:6:7 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'sqlite hold=100us keys=1 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 13 using 1:5:6:7 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite hold=100us keys=1 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 14 using 1:5:6:7 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'sqlite hold=100us keys=1024 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 15 using 1:5:6:7 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'sqlite hold=100us keys=1024 [journal_mode=wal]'
unset multiplot
set terminal pngcairo size 1576,925 noenhanced
set output 'lab3_hot_row-lock-retries.png'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:5616.07]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab3_hot_row / lock: retries per 1,000 operations\none run a point: repeat runs for their spread; the panels share their axes"
unset arrow
unset label
set tmargin at screen 0.8973
set bmargin at screen 0.5514
set key at screen 0.660, screen 0.8973 left top Left reverse samplen 2
set title 'inproc, postgres'
set xlabel ''
plot 'lab3_hot_row-lock.dat' index 0 using 1:8:9:10 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc hold=0us keys=1', 'lab3_hot_row-lock.dat' index 1 using 1:8:9:10 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'inproc hold=0us keys=1024', 'lab3_hot_row-lock.dat' index 2 using 1:8:9:10 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'inproc hold=100us keys=1', 'lab3_hot_row-lock.dat' index 3 using 1:8:9:10 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'inproc hold=100us keys=1024', 'lab3_hot_row-lock.dat' index 4 using 1:8:9:10 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'postgres hold=0us keys=1', 'lab3_hot_row-lock.dat' index 5 using 1:8:9:10 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'postgres hold=0us keys=1024', 'lab3_hot_row-lock.dat' index 6 using 1:8:9:10 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'postgres hold=100us keys=1', 'lab3_hot_row-lock.dat' index 7 using 1:8:9:10 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'postgres hold=100us keys=1024'
unset arrow
unset label
set tmargin at screen 0.4270
set bmargin at screen 0.0811
set key at screen 0.660, screen 0.4270 left top Left reverse samplen 2
set title 'sqlite'
set xlabel 'workers, log scale'
plot 'lab3_hot_row-lock.dat' index 8 using 1:8:9:10 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'sqlite hold=0us keys=1 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 9 using 1:8:9:10 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'sqlite hold=0us keys=1 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 10 using 1:8:9:10 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'sqlite hold=0us keys=1024 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 11 using 1:8:9:10 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'sqlite hold=0us keys=1024 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 12 using 1:8:9:10 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'sqlite hold=100us keys=1 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 13 using 1:8:9:10 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite hold=100us keys=1 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 14 using 1:8:9:10 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'sqlite hold=100us keys=1024 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 15 using 1:8:9:10 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'sqlite hold=100us keys=1024 [journal_mode=wal]'
unset multiplot
set terminal svg size 1576,925 noenhanced
set output 'lab3_hot_row-lock-retries.svg'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:5616.07]
set lmargin at screen 0.095
set rmargin at screen 0.640
set multiplot title "lab3_hot_row / lock: retries per 1,000 operations\none run a point: repeat runs for their spread; the panels share their axes"
unset arrow
unset label
set tmargin at screen 0.8973
set bmargin at screen 0.5514
set key at screen 0.660, screen 0.8973 left top Left reverse samplen 2
set title 'inproc, postgres'
set xlabel ''
plot 'lab3_hot_row-lock.dat' index 0 using 1:8:9:10 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc hold=0us keys=1', 'lab3_hot_row-lock.dat' index 1 using 1:8:9:10 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'inproc hold=0us keys=1024', 'lab3_hot_row-lock.dat' index 2 using 1:8:9:10 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'inproc hold=100us keys=1', 'lab3_hot_row-lock.dat' index 3 using 1:8:9:10 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'inproc hold=100us keys=1024', 'lab3_hot_row-lock.dat' index 4 using 1:8:9:10 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'postgres hold=0us keys=1', 'lab3_hot_row-lock.dat' index 5 using 1:8:9:10 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'postgres hold=0us keys=1024', 'lab3_hot_row-lock.dat' index 6 using 1:8:9:10 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'postgres hold=100us keys=1', 'lab3_hot_row-lock.dat' index 7 using 1:8:9:10 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'postgres hold=100us keys=1024'
unset arrow
unset label
set tmargin at screen 0.4270
set bmargin at screen 0.0811
set key at screen 0.660, screen 0.4270 left top Left reverse samplen 2
set title 'sqlite'
set xlabel 'workers, log scale'
plot 'lab3_hot_row-lock.dat' index 8 using 1:8:9:10 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'sqlite hold=0us keys=1 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 9 using 1:8:9:10 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'sqlite hold=0us keys=1 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 10 using 1:8:9:10 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'sqlite hold=0us keys=1024 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 11 using 1:8:9:10 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'sqlite hold=0us keys=1024 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 12 using 1:8:9:10 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'sqlite hold=100us keys=1 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 13 using 1:8:9:10 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite hold=100us keys=1 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 14 using 1:8:9:10 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'sqlite hold=100us keys=1024 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 15 using 1:8:9:10 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'sqlite hold=100us keys=1024 [journal_mode=wal]'
unset multiplot
